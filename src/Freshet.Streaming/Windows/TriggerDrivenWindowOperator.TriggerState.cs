using Freshet.Streaming.Serialization;
using Freshet.Streaming.Windows.Triggers;

namespace Freshet.Streaming.Windows;

// Triggers: the context a trigger sees and its per-(key, window) state, typed lazily after a restore.
internal sealed partial class TriggerDrivenWindowOperator<TKey, TIn, TAcc, TOut>
{
    private Dictionary<string, TriggerValue> StatesOf((TKey Key, TimeWindow Window) scope)
    {
        if (!_triggerState.TryGetValue(scope, out var states))
        {
            states = new Dictionary<string, TriggerValue>(StringComparer.Ordinal);
            _triggerState.Add(scope, states);
        }

        return states;
    }

    /// <summary>The trigger context, pointed at one (key, window) before each trigger call.</summary>
    private sealed class Context(TriggerDrivenWindowOperator<TKey, TIn, TAcc, TOut> owner) : TriggerContext
    {
        private TKey _key = default!;
        private TimeWindow _window;
        private IReadOnlyList<TimeWindow> _merged = [];

        public override long CurrentWatermark => owner._watermark;

        public override long CurrentProcessingTime => owner._processingTime.Now;

        public override IReadOnlyList<TimeWindow> MergedWindows => _merged;

        public void Set(TKey key, TimeWindow window, IReadOnlyList<TimeWindow>? merged = null)
        {
            _key = key;
            _window = window;
            _merged = merged ?? [];
        }

        public override void RegisterEventTimeTimer(long time) => owner._eventTimers.Register((_key, _window), time);

        public override void RegisterProcessingTimeTimer(long time) => owner.RegisterProcessingTimer(_key, _window, time);

        public override void DeleteEventTimeTimer(long time) => owner._eventTimers.Delete((_key, _window), time);

        public override void DeleteProcessingTimeTimer(long time) => owner._processingTimers.Delete((_key, _window), time);

        public override TriggerState<TState> GetState<TState>(string name, TState defaultValue) => GetStateOf(name, defaultValue, _window);

        public override TriggerState<TState> GetStateOf<TState>(string name, TState defaultValue, TimeWindow window) =>
            new State<TState>(owner, (_key, window), name, defaultValue);
    }

    private sealed class State<TState>(TriggerDrivenWindowOperator<TKey, TIn, TAcc, TOut> owner, (TKey Key, TimeWindow Window) scope, string name, TState defaultValue)
        : TriggerState<TState>
    {
        public override TState Value
        {
            get
            {
                if (!owner._triggerState.TryGetValue(scope, out var states) || !states.TryGetValue(name, out var stored))
                {
                    return defaultValue;
                }

                switch (stored)
                {
                    case TypedTriggerValue<TState> typed:
                        return typed.Value;
                    case RestoredTriggerValue restored:
                        // First use since a restore: now the type is known.
                        var value = Serializers.Default<TState>().Deserialize(restored.Bytes);
                        states[name] = new TypedTriggerValue<TState>(value);
                        return value;
                    default:
                        throw new InvalidOperationException($"The trigger state '{name}' holds a {stored.TypeName}, not a {typeof(TState).Name}: use one type per state name.");
                }
            }
        }

        public override void Update(TState value) => owner.StatesOf(scope)[name] = new TypedTriggerValue<TState>(value);

        public override void Clear()
        {
            if (owner._triggerState.TryGetValue(scope, out var states) && states.Remove(name) && states.Count == 0)
            {
                owner._triggerState.Remove(scope);
            }
        }
    }

    /// <summary>One trigger state value; replaced, never changed, on update, so a snapshot may hold it.</summary>
    private abstract class TriggerValue
    {
        public abstract string TypeName { get; }

        public abstract byte[] ToBytes();
    }

    private sealed class TypedTriggerValue<TState>(TState value) : TriggerValue
    {
        public TState Value { get; } = value;

        public override string TypeName => typeof(TState).Name;

        public override byte[] ToBytes() => Serializers.Default<TState>().SerializeToArray(Value);
    }

    /// <summary>A restored value whose type is not known until the trigger asks for it.</summary>
    private sealed class RestoredTriggerValue(byte[] bytes) : TriggerValue
    {
        public byte[] Bytes { get; } = bytes;

        public override string TypeName => "restored value";

        public override byte[] ToBytes() => Bytes;
    }
}
