namespace Freshet.Streaming.Queryable;

/// <summary>One queryable table of a job, as <see cref="Jobs.JobHandle.GetQueryableTableNames"/> lists it. Immutable.</summary>
/// <param name="Name">The name given to <c>Table.Queryable</c> or <c>ValueStateDescriptor.QueryableName</c>.</param>
/// <param name="KeyType">The table's key type.</param>
/// <param name="ValueType">The table's value type.</param>
public sealed record QueryableTableInfo(string Name, Type KeyType, Type ValueType);
