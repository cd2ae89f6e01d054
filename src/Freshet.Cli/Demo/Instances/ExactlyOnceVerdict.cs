namespace Freshet.Cli.Demo.Instances;

/// <summary>The outcome of <see cref="ExactlyOnceCheck"/>.</summary>
/// <param name="WindowsClosed">Windows the input closed: every one must be in the output once.</param>
/// <param name="WindowsWritten">Rankings in the committed output.</param>
/// <param name="Problems">What is wrong, one sentence each (at most a few of each kind); empty when the check passed.</param>
internal sealed record ExactlyOnceVerdict(int WindowsClosed, int WindowsWritten, IReadOnlyList<string> Problems)
{
    /// <summary>True when every closed window was written exactly once, as the input computes it.</summary>
    public bool Passed => Problems.Count == 0 && WindowsClosed > 0;
}
