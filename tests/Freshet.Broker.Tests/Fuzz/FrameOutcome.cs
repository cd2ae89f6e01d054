namespace Freshet.Broker.Tests.Fuzz;

/// <summary>What the broker must do with one frame, as <see cref="FramePredictor"/> works it out from the codec.</summary>
internal enum FrameOutcome
{
    /// <summary>The request decodes: the broker handles it and sends a response carrying its correlation id.</summary>
    Answered,

    /// <summary>The request decodes but gets no response (Produce with acks 0); the broker may close the connection if it failed.</summary>
    Silent,

    /// <summary>The frame is refused at the framing, header or body level: the broker closes the connection.</summary>
    Closes,
}
