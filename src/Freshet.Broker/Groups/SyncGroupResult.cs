namespace Freshet.Broker.Groups;

/// <summary>The answer to a SyncGroup: an error or the member's assignment.</summary>
internal sealed record SyncGroupResult(short ErrorCode, byte[] Assignment)
{
    public static SyncGroupResult Error(short code) => new(code, []);
}
