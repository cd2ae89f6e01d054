using Freshet.Streaming.Operators;

namespace Freshet.Streaming.Planning;

/// <summary>A job graph node whose output records are <typeparamref name="TOut"/>.</summary>
internal abstract class Transformation<TOut> : Transformation
{
    private readonly Dictionary<string, Transformation> _sideOutputs = new(StringComparer.Ordinal);

    protected Transformation(int id, string name, int parallelism, Transformation? input, InputPartitioning partitioning)
        : base(id, name, parallelism, input, partitioning)
    {
    }

    protected Transformation(int id, string name, int parallelism, IReadOnlyList<Transformation> inputs, InputPartitioning partitioning)
        : base(id, name, parallelism, inputs, partitioning)
    {
    }

    public override OperatorBase CombineOutputs(OperatorSetup setup, List<OperatorBase> outputs) => outputs.Count switch
    {
        0 => new DiscardingOperator<TOut>(setup),
        1 => outputs[0],
        _ => new FanOutOperator<TOut>(setup, outputs.Cast<Operator<TOut>>().ToArray()),
    };

    /// <summary>The one node selecting side output <paramref name="tagId"/> of this node (created on first use).</summary>
    public Transformation GetOrAddSideOutput(string tagId, Func<Transformation> create)
    {
        if (!_sideOutputs.TryGetValue(tagId, out var node))
        {
            node = create();
            _sideOutputs.Add(tagId, node);
        }

        return node;
    }
}
