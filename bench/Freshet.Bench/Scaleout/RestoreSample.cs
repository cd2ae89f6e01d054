namespace Freshet.Bench.Scaleout;

/// <summary>One restore (or plain read) of changelog topics: records read, key plus value bytes (0 when not known), and seconds.</summary>
internal readonly record struct RestoreSample(long Records, long Bytes, double Seconds)
{
    public double RecordsPerSecond => Records / Seconds;
}
