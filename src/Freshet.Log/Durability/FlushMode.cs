namespace Freshet.Log.Durability;

/// <summary>The rule a <see cref="FlushPolicy"/> follows.</summary>
public enum FlushMode
{
    /// <summary>Never fsync on append; the operating system writes back. Rolls and close still fsync.</summary>
    OperatingSystem,

    /// <summary>fsync before each append is acknowledged.</summary>
    EveryAppend,

    /// <summary>fsync when the oldest unflushed append is older than an interval.</summary>
    Interval,

    /// <summary>fsync when the unflushed bytes reach a threshold.</summary>
    Bytes,
}
