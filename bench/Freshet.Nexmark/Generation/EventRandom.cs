namespace Freshet.Nexmark.Generation;

/// <summary>
/// The random choices of one event: a SplitMix64 sequence seeded from (config seed, event number), so an event's
/// content depends on nothing but its number. A mutable struct: pass it by <c>ref</c>.
/// </summary>
internal struct EventRandom
{
    private ulong _state;

    public EventRandom(long seed, long eventNumber)
    {
        _state = Mix(unchecked((ulong)seed ^ ((ulong)eventNumber * 0x9E3779B97F4A7C15UL)));
    }

    /// <summary>Uniform in [0, <paramref name="bound"/>); <paramref name="bound"/> &gt; 0.</summary>
    public int NextInt(int bound) => (int)(((NextULong() >> 32) * (ulong)bound) >> 32);

    /// <summary>Uniform in [0, <paramref name="bound"/>) (bias below 2^-40 for the bounds used); <paramref name="bound"/> &gt; 0.</summary>
    public long NextLong(long bound) => (long)(NextULong() % (ulong)bound);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextULong() >> 11) * (1.0 / (1UL << 53));

    private ulong NextULong()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
