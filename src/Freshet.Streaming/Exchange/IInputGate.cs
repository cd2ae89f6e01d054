using Freshet.Streaming.Tasks;

namespace Freshet.Streaming.Exchange;

/// <summary>An <see cref="InputGate{T}"/> seen without its record type, by the planner and the job.</summary>
internal interface IInputGate
{
    /// <summary>Wakes every thread waiting on the gate with <see cref="JobCancelledSignal"/>; idempotent.</summary>
    void Cancel();
}
