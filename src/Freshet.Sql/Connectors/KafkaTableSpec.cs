using System.Globalization;
using Freshet.Sql.Catalog;
using Freshet.Sql.Formats;
using Freshet.Sql.Typing;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Sinks;
using Freshet.Streaming.Tables;

namespace Freshet.Sql.Connectors;

/// <summary>
/// A <c>kafka</c>, <c>upsert-kafka</c> or <c>freshet-log</c> table's options, validated, and the mapping between its
/// rows and Kafka records: which physical columns the key format holds (<c>key.fields</c>, or the primary key of an
/// upsert table) and which the value format holds (all, or all but the key's with
/// <c>value.fields-include</c> = <c>EXCEPT_KEY</c>), where metadata columns go, and where the sink's record timestamp
/// comes from. Source rows are <see cref="TableConnectors.SourceColumns"/>, sink rows
/// <see cref="TableConnectors.SinkColumns"/>. Immutable after <see cref="Parse"/>; thread-safe.
/// </summary>
internal sealed class KafkaTableSpec
{
    private int[] _keySourceIndexes = [];
    private int[] _valueSourceIndexes = [];
    private (int Index, string Key, SqlType Type)[] _metadata = [];
    private int[] _keySinkIndexes = [];
    private int[] _valueSinkIndexes = [];
    private int _sourceArity;
    private bool _valueIsSourceRow;
    private int _timestampSinkIndex = -1;
    private List<string> _keyFields = [];
    private List<string> _valueFields = [];

    private KafkaTableSpec(CatalogTable table)
    {
        Table = table;
    }

    public CatalogTable Table { get; }

    public string Topic { get; private set; } = string.Empty;

    /// <summary>Whether a record without a value is a delete of its key (upsert tables).</summary>
    public bool IsUpsert { get; private set; }

    public IRowFormat? KeyFormat { get; private set; }

    public IRowFormat ValueFormat { get; private set; } = null!;

    public StartingOffsets StartingOffsets { get; private set; } = StartingOffsets.Earliest;

    /// <summary>With <c>scan.startup.mode</c> = <c>specific-offsets</c>: the first offset to read per listed partition
    /// (records before it are skipped); other partitions start at the earliest offset.</summary>
    public IReadOnlyDictionary<int, long>? SpecificOffsets { get; private set; }

    /// <summary>The consumer group positions are committed to (<c>properties.group.id</c>), or null.</summary>
    public string? GroupId { get; private set; }

    public bool Bounded { get; private set; }

    public DeliveryGuarantee DeliveryGuarantee { get; private set; }

    public string? TransactionalIdPrefix { get; private set; }

    /// <summary>Kafka client properties (<c>properties.*</c> without the prefix and without <c>bootstrap.servers</c>
    /// and <c>group.id</c>).</summary>
    public IReadOnlyDictionary<string, string> ClientProperties { get; private set; } = new Dictionary<string, string>();

    public string? BootstrapServers { get; private set; }

    public int? SinkParallelism { get; private set; }

    /// <summary>Reads and checks the options of <paramref name="table"/> (connector <c>kafka</c>, <c>upsert-kafka</c>
    /// or <c>freshet-log</c>).</summary>
    /// <param name="table">The table.</param>
    /// <param name="options">A reader over the table's options.</param>
    /// <param name="defaultBootstrapServers">The cluster of tables that name none.</param>
    /// <param name="requireBootstrapServers">Whether a Kafka table without any cluster is an error (false when
    /// validating before the job's default cluster is known).</param>
    public static KafkaTableSpec Parse(CatalogTable table, OptionReader options, string? defaultBootstrapServers, bool requireBootstrapServers)
    {
        var connector = table.Connector;
        var spec = new KafkaTableSpec(table) { IsUpsert = table.IsUpsertSource };
        if (connector == "kafka" && table.PrimaryKey.Count > 0)
        {
            // As Flink: an append-only topic cannot guarantee a key's uniqueness.
            throw new SqlValidationException("The kafka connector does not support a PRIMARY KEY; use the upsert-kafka connector for a table keyed by it");
        }

        spec.Topic = options.Required("topic", "the topic to read and write");
        if (options.String("topic-pattern") is not null)
        {
            throw new SqlValidationException("Option 'topic-pattern' is not supported; name one topic with 'topic'");
        }

        if (connector != "freshet-log")
        {
            var properties = options.WithPrefix("properties.");
            spec.BootstrapServers = properties.GetValueOrDefault("bootstrap.servers") ?? defaultBootstrapServers;
            if (spec.BootstrapServers is null && requireBootstrapServers)
            {
                throw new SqlValidationException("Option 'properties.bootstrap.servers' is required: the Kafka cluster to connect to (no default cluster is configured)");
            }

            spec.GroupId = properties.GetValueOrDefault("group.id");
            spec.ClientProperties = properties.Where(p => p.Key is not ("bootstrap.servers" or "group.id" or "auto.offset.reset"))
                .ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        }
        else
        {
            spec.GroupId = options.String("properties.group.id");
        }

        spec.ParseFields(options, connector);
        spec.ParseStartup(options, connector);
        spec.Bounded = options.Choice("scan.bounded.mode", "unbounded", "unbounded", "latest-offset") == "latest-offset";
        spec.DeliveryGuarantee = options.Choice("sink.delivery-guarantee", "at-least-once", "at-least-once", "exactly-once", "none") == "exactly-once"
            ? DeliveryGuarantee.ExactlyOnce
            : DeliveryGuarantee.AtLeastOnce;
        spec.TransactionalIdPrefix = options.String("sink.transactional-id-prefix");
        if (spec.DeliveryGuarantee == DeliveryGuarantee.ExactlyOnce && spec.TransactionalIdPrefix is null && connector != "freshet-log")
        {
            throw new SqlValidationException("Option 'sink.transactional-id-prefix' is required with 'sink.delivery-guarantee' = 'exactly-once'");
        }

        options.Choice("sink.partitioner", "default", "default");
        var parallelism = options.Long("sink.parallelism", 0, min: 1, max: int.MaxValue);
        spec.SinkParallelism = parallelism == 0 ? null : (int)parallelism;

        foreach (var column in table.Columns)
        {
            if (column.Kind == CatalogColumnKind.Metadata)
            {
                MetadataKeys.Check(column, connector);
            }
        }

        spec.Index();
        return spec;
    }

    private void ParseFields(OptionReader options, string connector)
    {
        var physical = Table.Columns.Where(c => c.Kind == CatalogColumnKind.Physical).ToList();
        var keyFormatName = options.String("key.format");
        var valueFormatOption = options.String("value.format");
        var formatOption = options.String("format");
        if (connector == "upsert-kafka" && formatOption is not null)
        {
            throw new SqlValidationException("The upsert-kafka connector takes 'key.format' and 'value.format', not 'format'");
        }

        if (valueFormatOption is not null && formatOption is not null)
        {
            throw new SqlValidationException("Give either 'format' or 'value.format', not both");
        }

        var valueFormatName = valueFormatOption ?? formatOption
            ?? throw new SqlValidationException($"Option 'value.format' (or 'format') is required: the format of the record values; known formats: {OptionReader.Quoted(RowFormats.Known)}");
        var valuePrefix = valueFormatOption is null ? string.Empty : "value.";

        var keyFieldsOption = options.String("key.fields");
        if (IsUpsert)
        {
            if (keyFieldsOption is not null)
            {
                throw new SqlValidationException($"Option 'key.fields' is not supported by an upsert table; its key is the PRIMARY KEY ({string.Join(", ", Table.PrimaryKey)})");
            }

            if (keyFormatName is null)
            {
                throw new SqlValidationException("Option 'key.format' is required: an upsert table writes its PRIMARY KEY as the record key");
            }

            _keyFields = [.. Table.PrimaryKey];
        }
        else if (keyFieldsOption is not null)
        {
            if (keyFormatName is null)
            {
                throw new SqlValidationException("Option 'key.fields' needs 'key.format'");
            }

            _keyFields = keyFieldsOption.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
            foreach (var field in _keyFields)
            {
                if (!physical.Exists(c => c.Name == field))
                {
                    throw new SqlValidationException($"Option 'key.fields' names '{field}', which is not a physical column; physical columns: {OptionReader.Quoted(physical.Select(c => c.Name))}");
                }
            }
        }
        else if (keyFormatName is not null)
        {
            throw new SqlValidationException("Option 'key.format' needs 'key.fields': the columns the record key holds, separated by ';'");
        }

        var prefix = options.String("key.fields-prefix") ?? string.Empty;
        var exceptKey = options.Choice("value.fields-include", "ALL", "ALL", "EXCEPT_KEY") == "EXCEPT_KEY";
        if (prefix.Length > 0)
        {
            if (!exceptKey)
            {
                throw new SqlValidationException("Option 'key.fields-prefix' needs 'value.fields-include' = 'EXCEPT_KEY'");
            }

            foreach (var field in _keyFields.Where(f => !f.StartsWith(prefix, StringComparison.Ordinal)))
            {
                throw new SqlValidationException($"Key field '{field}' does not start with 'key.fields-prefix' '{prefix}'");
            }
        }

        _valueFields = physical.Select(c => c.Name).Where(n => !exceptKey || !_keyFields.Contains(n)).ToList();
        if (_valueFields.Count == 0 && valueFormatName != "raw")
        {
            // Flink allows an empty value with EXCEPT_KEY; our formats need at least one column, except as tombstones.
            throw new SqlValidationException("The value format has no columns: every physical column is in the key and 'value.fields-include' is 'EXCEPT_KEY'");
        }

        if (keyFormatName is not null)
        {
            var keyColumns = _keyFields.Select(f => (f[prefix.Length..], physical.First(c => c.Name == f).Type)).ToList();
            KeyFormat = RowFormats.FromOptions(keyFormatName, keyColumns, options, Table.Options, "key.");
        }

        var valueColumns = _valueFields.Select(f => (f, physical.First(c => c.Name == f).Type)).ToList();
        ValueFormat = RowFormats.FromOptions(valueFormatName, valueColumns, options, Table.Options, valuePrefix);
    }

    private void ParseStartup(OptionReader options, string connector)
    {
        if (connector == "upsert-kafka")
        {
            // Flink's upsert-kafka always reads the whole topic: the table is its compacted history.
            return;
        }

        var mode = options.Choice("scan.startup.mode", "earliest-offset", "earliest-offset", "latest-offset", "group-offsets", "timestamp", "specific-offsets");
        var reset = options.Choice("properties.auto.offset.reset", "earliest", "earliest", "latest");
        var timestampText = options.String("scan.startup.timestamp-millis");
        var offsetsText = options.String("scan.startup.specific-offsets");
        if (mode != "timestamp" && timestampText is not null)
        {
            throw new SqlValidationException("Option 'scan.startup.timestamp-millis' needs 'scan.startup.mode' = 'timestamp'");
        }

        if (mode != "specific-offsets" && offsetsText is not null)
        {
            throw new SqlValidationException("Option 'scan.startup.specific-offsets' needs 'scan.startup.mode' = 'specific-offsets'");
        }

        switch (mode)
        {
            case "latest-offset":
                StartingOffsets = StartingOffsets.Latest;
                break;
            case "group-offsets":
                StartingOffsets = StartingOffsets.Committed(
                    GroupId ?? throw new SqlValidationException("'scan.startup.mode' = 'group-offsets' needs 'properties.group.id'"),
                    reset == "latest" ? StartingOffsets.Latest : StartingOffsets.Earliest);
                break;
            case "timestamp":
                StartingOffsets = StartingOffsets.Timestamp(options.Long("scan.startup.timestamp-millis", -1, min: 0) is var ms && ms >= 0
                    ? ms
                    : throw new SqlValidationException("'scan.startup.mode' = 'timestamp' needs 'scan.startup.timestamp-millis'"));
                break;
            case "specific-offsets":
                SpecificOffsets = ParseSpecificOffsets(offsetsText ?? throw new SqlValidationException(
                    "'scan.startup.mode' = 'specific-offsets' needs 'scan.startup.specific-offsets', e.g. 'partition:0,offset:42;partition:1,offset:300'"));
                break;
        }
    }

    private static Dictionary<int, long> ParseSpecificOffsets(string text)
    {
        var offsets = new Dictionary<int, long>();
        foreach (var entry in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 2
                || !parts[0].StartsWith("partition:", StringComparison.Ordinal)
                || !parts[1].StartsWith("offset:", StringComparison.Ordinal)
                || !int.TryParse(parts[0]["partition:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var partition)
                || !long.TryParse(parts[1]["offset:".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
                || !offsets.TryAdd(partition, offset))
            {
                throw new SqlValidationException(
                    $"Option 'scan.startup.specific-offsets' has an invalid entry '{entry}'; expected 'partition:0,offset:42;partition:1,offset:300' with each partition once");
            }
        }

        if (offsets.Count == 0)
        {
            throw new SqlValidationException("Option 'scan.startup.specific-offsets' lists no partition");
        }

        return offsets;
    }

    private void Index()
    {
        var source = TableConnectors.SourceColumns(Table);
        var sink = TableConnectors.SinkColumns(Table);
        _sourceArity = source.Count;
        int SourceIndex(string name) => source.ToList().FindIndex(c => c.Name == name);
        int SinkIndex(string name) => sink.ToList().FindIndex(c => c.Name == name);
        _keySourceIndexes = _keyFields.Select(SourceIndex).ToArray();
        _valueSourceIndexes = _valueFields.Select(SourceIndex).ToArray();
        _keySinkIndexes = _keyFields.Select(SinkIndex).ToArray();
        _valueSinkIndexes = _valueFields.Select(SinkIndex).ToArray();
        _metadata = source.Select((c, i) => (c, i)).Where(x => x.c.Kind == CatalogColumnKind.Metadata)
            .Select(x => (x.i, MetadataKeys.KeyOf(x.c), x.c.Type)).ToArray();
        _timestampSinkIndex = sink.ToList().FindIndex(c => c.Kind == CatalogColumnKind.Metadata && MetadataKeys.KeyOf(c) == MetadataKeys.Timestamp);
        _valueIsSourceRow = _keySourceIndexes.Length == 0 && _metadata.Length == 0 && _valueSourceIndexes.Length == _sourceArity
            && _valueSourceIndexes.Select((index, i) => index == i).All(same => same);
    }

    /// <summary>Whether the source reads the record at <paramref name="offset"/> of <paramref name="partition"/>
    /// (false before a specific start offset).</summary>
    public bool Wants(int partition, long offset) =>
        SpecificOffsets is null || !SpecificOffsets.TryGetValue(partition, out var start) || offset >= start;

    /// <summary>
    /// The change a record makes: +I of its row, or for an upsert table's record without a value, -D of a row with
    /// the key columns set and the others NULL. False to skip the record (a bad record whose format ignores parse
    /// errors, or a record without a value in an append table whose value format is not <c>raw</c>).
    /// </summary>
    /// <exception cref="SqlFormatException">The key or value does not decode; the exception names the record (<see cref="RecordFacts.Location"/>).</exception>
    public bool TryDecode(byte[]? key, byte[]? value, in RecordFacts facts, out Change<Row> change)
    {
        change = default;
        if (_valueIsSourceRow && KeyFormat is null && value is not null)
        {
            // The value's row is the source row already (no key fields, no metadata): no copy.
            Row? row;
            try
            {
                row = ValueFormat.Decode(value);
            }
            catch (SqlFormatException e)
            {
                throw e.At(facts.Location);
            }

            if (row is null)
            {
                return false;
            }

            change = new Change<Row>(RowKind.Insert, row);
            return true;
        }

        var values = new object?[_sourceArity];
        var kind = RowKind.Insert;
        try
        {
            if (KeyFormat is not null && key is not null)
            {
                if (KeyFormat.Decode(key) is not { } keyRow)
                {
                    return false;
                }

                for (var i = 0; i < _keySourceIndexes.Length; i++)
                {
                    values[_keySourceIndexes[i]] = keyRow[i];
                }
            }

            Row? valueRow;
            if (value is null && IsUpsert)
            {
                kind = RowKind.Delete;
                valueRow = null;
            }
            else
            {
                valueRow = value is null ? ValueFormat.DecodeNull() : ValueFormat.Decode(value);
                if (valueRow is null)
                {
                    return false;
                }
            }

            if (valueRow is not null)
            {
                for (var i = 0; i < _valueSourceIndexes.Length; i++)
                {
                    values[_valueSourceIndexes[i]] = valueRow[i];
                }
            }
        }
        catch (SqlFormatException e)
        {
            throw e.At(facts.Location);
        }

        foreach (var (index, metadataKey, type) in _metadata)
        {
            values[index] = metadataKey switch
            {
                MetadataKeys.Timestamp => MetadataKeys.TimestampValue(facts.TimestampMs, type),
                MetadataKeys.Offset => facts.Offset,
                MetadataKeys.Partition => facts.Partition,
                MetadataKeys.Topic => facts.Topic,
                _ => facts.HeadersMap(),
            };
        }

        change = new Change<Row>(kind, new Row(values));
        return true;
    }

    /// <summary>The record key of a sink row (<see cref="TableConnectors.SinkColumns"/>), or null without a key format.</summary>
    public byte[]? EncodeKey(Row sinkRow) => KeyFormat?.Encode(Project(sinkRow, _keySinkIndexes));

    /// <summary>The record value of a sink row.</summary>
    public byte[]? EncodeValue(Row sinkRow) => ValueFormat.Encode(Project(sinkRow, _valueSinkIndexes));

    /// <summary>The record timestamp (Unix ms) a sink row asks for through a writable <c>timestamp</c> metadata
    /// column; null when there is none or it is NULL.</summary>
    public long? SinkTimestampMs(Row sinkRow) => _timestampSinkIndex < 0 ? null : MetadataKeys.TimestampMs(sinkRow[_timestampSinkIndex]);

    /// <summary>Whether sink rows carry a record timestamp.</summary>
    public bool HasSinkTimestamp => _timestampSinkIndex >= 0;

    private static Row Project(Row row, int[] indexes)
    {
        var values = new object?[indexes.Length];
        for (var i = 0; i < indexes.Length; i++)
        {
            values[i] = row[indexes[i]];
        }

        return new Row(values);
    }
}
