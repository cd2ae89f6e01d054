namespace Freshet.Streaming.Planning;

/// <summary>Selects the side output <see cref="SideOutputTagId"/> of its input; always chained, with the input's parallelism. Has no operator of its own.</summary>
internal sealed class SideOutputTransformation<T> : Transformation<T>
{
    private readonly string _tagId;

    public SideOutputTransformation(int id, string name, Transformation input, string tagId)
        : base(id, name, input.Parallelism, input, InputPartitioning.Default)
    {
        _tagId = tagId;
    }

    public override string? SideOutputTagId => _tagId;

    public override Transformation CopyForTask(int id, IReadOnlyList<Transformation> inputs, TaskPlacement placement) =>
        new SideOutputTransformation<T>(id, Name, inputs[0], _tagId) { ExplicitUid = Uid };

    public override int Parallelism
    {
        get => Input!.Parallelism;
        set => throw new InvalidOperationException("A side output has the parallelism of the operator that produces it.");
    }
}
