namespace Freshet.Streaming.State;

/// <summary>
/// A read-modify-write of one value that <see cref="ValueState{T}.Apply"/> performs in one state access: the value a key
/// gets when it has none, and the next value from the current one. Implemented by the engine's operators for the record
/// at hand (no allocation per record); called on the task thread, once per access.
/// </summary>
internal interface IValueUpdate<T>
{
    /// <summary>The value of a key that has none yet.</summary>
    T Initial();

    /// <summary>The value that replaces <paramref name="current"/> (which it may change and return).</summary>
    T Next(T current);
}
