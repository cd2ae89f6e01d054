using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Freshet.Dashboard.Hosting;
using Freshet.Streaming.Jobs;
using Freshet.Streaming.Queryable;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Freshet.Dashboard.Jobs;

/// <summary>
/// Interactive queries over HTTP (docs/rest-api.md, "Tables"; docs/interactive-queries.md): the job's queryable tables,
/// one key's value, and ordered range scans. Keys in URLs are converted by <see cref="TableKeyParser"/>; keys and values
/// are written with <see cref="TableJson"/>. A table that cannot be read now (being restored, ended, or in application
/// mode a partition of another instance) answers 503 <c>unavailable</c>, so a client knows to retry or ask elsewhere.
/// Reads block a request thread for at most the engine's read timeout. Stateless; thread-safe.
/// </summary>
internal sealed class TableEndpoints(JobHandle job)
{
    /// <summary>Entries a scan returns when the request names no limit.</summary>
    public const int DefaultScanLimit = 100;

    /// <summary>Largest limit a scan request may ask for.</summary>
    public const int MaxScanLimit = 10_000;

    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/job/tables", Tables);
        endpoints.MapGet("/api/job/tables/{name}", Scan);
        endpoints.MapGet("/api/job/tables/{name}/keys/{*key}", Get);
    }

    private JsonHttpResult<TablesResponse> Tables() => TypedResults.Json(
        new TablesResponse([.. job.GetQueryableTableNames().Select(t => new TableResponse(t.Name, TableJson.TypeName(t.KeyType), TableJson.TypeName(t.ValueType), IsOrdered(t)))]),
        DashboardJsonContext.Default.TablesResponse);

    private bool IsOrdered(QueryableTableInfo info) => job.GetQueryableTable(info.Name).IsOrdered;

    private IResult Get(string name, string? key)
    {
        if (!TryFind(name, out var table, out var missing))
        {
            return missing;
        }

        if (string.IsNullOrEmpty(key))
        {
            return ApiErrors.BadRequest("The path must end with the key: /api/job/tables/{name}/keys/{key}.");
        }

        if (!TableKeyParser.TryParse(key, table.KeyType, out var typedKey, out var error))
        {
            return ApiErrors.BadRequest($"Table '{name}' has keys of type {TableJson.TypeName(table.KeyType)}: {error}");
        }

        return Read(name, () =>
        {
            if (!table.TryGetValue(typedKey!, out var value))
            {
                return ApiErrors.NotFound($"Table '{name}' has no value for key {key}.");
            }

            return Json(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("table", name);
                writer.WritePropertyName("key");
                TableJson.Write(writer, typedKey, table.KeyType);
                writer.WritePropertyName("value");
                TableJson.Write(writer, value, table.ValueType);
                writer.WriteEndObject();
            });
        });
    }

    private IResult Scan(string name, string? from, string? to, string? limit)
    {
        if (!TryFind(name, out var table, out var missing))
        {
            return missing;
        }

        var max = DefaultScanLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out max) || max is < 1 or > MaxScanLimit))
        {
            return ApiErrors.BadRequest($"limit must be a whole number from 1 to {MaxScanLimit}, not '{limit}'.");
        }

        object? lower = null, upper = null;
        if (from is not null && !TableKeyParser.TryParse(from, table.KeyType, out lower, out var fromError))
        {
            return ApiErrors.BadRequest($"from: table '{name}' has keys of type {TableJson.TypeName(table.KeyType)}: {fromError}");
        }

        if (to is not null && !TableKeyParser.TryParse(to, table.KeyType, out upper, out var toError))
        {
            return ApiErrors.BadRequest($"to: table '{name}' has keys of type {TableJson.TypeName(table.KeyType)}: {toError}");
        }

        return Read(name, () =>
        {
            // One entry more than asked says whether the range goes on.
            var entries = table.ScanValues(lower, upper, max + 1);
            return Json(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("table", name);
                writer.WriteStartArray("entries");
                for (var i = 0; i < Math.Min(max, entries.Count); i++)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName("key");
                    TableJson.Write(writer, entries[i].Key, table.KeyType);
                    writer.WritePropertyName("value");
                    TableJson.Write(writer, entries[i].Value, table.ValueType);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteNumber("limit", max);
                writer.WriteBoolean("truncated", entries.Count > max);
                writer.WriteEndObject();
            });
        });
    }

    private bool TryFind(string name, out QueryableTable table, out IResult missing)
    {
        try
        {
            table = job.GetQueryableTable(name);
            missing = null!;
            return true;
        }
        catch (KeyNotFoundException e)
        {
            table = null!;
            missing = ApiErrors.NotFound(e.Message);
            return false;
        }
    }

    /// <summary>Runs a read, answering the engine's refusals as JSON errors.</summary>
    private static IResult Read(string name, Func<IResult> read)
    {
        try
        {
            return read();
        }
        catch (NotSupportedException e)
        {
            return ApiErrors.BadRequest(e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return ApiErrors.Result(StatusCodes.Status503ServiceUnavailable, "unavailable", $"Table '{name}' cannot be read now: {e.Message}");
        }
    }

    private static FileContentHttpResult Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return TypedResults.Bytes(buffer.WrittenMemory.ToArray(), "application/json; charset=utf-8");
    }
}
