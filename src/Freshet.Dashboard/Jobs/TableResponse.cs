namespace Freshet.Dashboard.Jobs;

/// <summary>One queryable table: its name and the full names of its key and value types (generic arguments in angle brackets).</summary>
internal sealed record TableResponse(string Name, string KeyType, string ValueType, bool Ordered);
