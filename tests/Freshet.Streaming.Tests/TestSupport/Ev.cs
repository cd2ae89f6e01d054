namespace Freshet.Streaming.Tests.TestSupport;

/// <summary>A test event: a key, an event time in ms and a value.</summary>
public readonly record struct Ev(string Key, long Time, long Value);
