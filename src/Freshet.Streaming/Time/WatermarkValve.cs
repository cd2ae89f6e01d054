using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Time;

/// <summary>
/// Combines the watermarks of several inputs — the splits of a source subtask, or the channels of an input task — into
/// the one watermark and idleness status the task passes into its chain (Flink's <c>StatusWatermarkValve</c>).
/// <para>
/// Rules: the output watermark is the minimum over inputs that are neither idle nor finished, and it only advances.
/// When no input can advance any more (every unfinished input is idle), the largest watermark an unfinished input
/// reached is flushed first — so an input that went idle after the others does not strand event time — and then the
/// output goes idle, once. An input becoming active again (records or a watermark) re-arms that idle signal. An input
/// that never reported a watermark holds the output at <see cref="long.MinValue"/> until it goes idle or finishes.
/// </para>
/// <para>
/// Callers record what they saw (<see cref="SetWatermark"/>, <see cref="MarkActive"/>, <see cref="MarkIdle"/>,
/// <see cref="MarkFinished"/>) and then call <see cref="Emit"/>, which sends what changed to the chain's head. Not
/// thread-safe: the owning task's thread only.
/// </para>
/// </summary>
internal sealed class WatermarkValve
{
    private long[] _watermarks;
    private bool[] _idle;
    private bool[] _finished;
    private long _emitted = long.MinValue;
    private bool _idleSent;

    /// <param name="inputs">Number of inputs; 0 makes a valve that goes idle at the first <see cref="Emit"/>.</param>
    public WatermarkValve(int inputs)
    {
        _watermarks = new long[inputs];
        _idle = new bool[inputs];
        _finished = new bool[inputs];
        Array.Fill(_watermarks, long.MinValue);
    }

    /// <summary>The last watermark emitted (event time, ms), or <see cref="long.MinValue"/> before the first.</summary>
    public long Watermark => _emitted;

    /// <summary>Number of inputs.</summary>
    public int InputCount => _watermarks.Length;

    /// <summary>Whether <paramref name="input"/> is idle.</summary>
    public bool IsIdle(int input) => _idle[input];

    /// <summary>Input <paramref name="input"/> reached <paramref name="watermark"/>; it is active.</summary>
    public void SetWatermark(int input, long watermark)
    {
        _watermarks[input] = watermark;
        MarkActive(input);
    }

    /// <summary>Input <paramref name="input"/> delivered records: it is active again if it was idle.</summary>
    public void MarkActive(int input)
    {
        if (_idle[input])
        {
            _idle[input] = false;
            _idleSent = false;
        }
    }

    /// <summary>Input <paramref name="input"/> is idle: it no longer holds back the output watermark.</summary>
    public void MarkIdle(int input) => _idle[input] = true;

    /// <summary>Input <paramref name="input"/> has ended: it never holds back the output again.</summary>
    public void MarkFinished(int input) => _finished[input] = true;

    /// <summary>
    /// Appends <paramref name="count"/> inputs (a source subtask took on new splits), numbered after the existing ones.
    /// Each starts as the first inputs did: active, at <see cref="long.MinValue"/>. A new input is an input active
    /// again, so it re-arms the idle signal: once every input is idle again, <c>Idle</c> is sent again.
    /// </summary>
    public void AddInputs(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count == 0)
        {
            return;
        }

        var old = _watermarks.Length;
        Array.Resize(ref _watermarks, old + count);
        Array.Resize(ref _idle, old + count);
        Array.Resize(ref _finished, old + count);
        Array.Fill(_watermarks, long.MinValue, old, count);
        _idleSent = false;
    }

    /// <summary>
    /// Sends <paramref name="head"/> the output watermark if it advanced, or — when every unfinished input is idle — the
    /// largest watermark they reached followed by <c>Idle</c>, once until an input is active again.
    /// </summary>
    public void Emit(OperatorBase head)
    {
        var min = long.MaxValue;
        var anyActive = false;
        for (var i = 0; i < _watermarks.Length; i++)
        {
            if (!_finished[i] && !_idle[i])
            {
                anyActive = true;
                if (_watermarks[i] < min)
                {
                    min = _watermarks[i];
                }
            }
        }

        if (anyActive)
        {
            if (min > _emitted)
            {
                _emitted = min;
                _idleSent = false;
                head.Watermark(min);
            }

            return;
        }

        if (_idleSent)
        {
            return;
        }

        var max = long.MinValue;
        for (var i = 0; i < _watermarks.Length; i++)
        {
            if (!_finished[i] && _watermarks[i] > max)
            {
                max = _watermarks[i];
            }
        }

        if (max > _emitted)
        {
            _emitted = max;
            head.Watermark(max);
        }

        _idleSent = true;
        head.Idle();
    }

    /// <summary>Emits the final watermark (<see cref="long.MaxValue"/>) if it was not emitted yet: every input has ended.</summary>
    public void EmitFinal(OperatorBase head)
    {
        if (_emitted < long.MaxValue)
        {
            _emitted = long.MaxValue;
            head.Watermark(long.MaxValue);
        }
    }
}
