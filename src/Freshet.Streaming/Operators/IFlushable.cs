namespace Freshet.Streaming.Operators;

/// <summary>Something that buffers records and can pass them on now.</summary>
internal interface IFlushable
{
    void Flush();
}
