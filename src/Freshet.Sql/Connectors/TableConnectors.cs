using System.Buffers;
using System.Text;
using Confluent.Kafka;
using Freshet.Log;
using Freshet.Log.Records;
using Freshet.Sql.Catalog;
using Freshet.Streaming;
using Freshet.Streaming.Connectors;
using Freshet.Streaming.Connectors.Files;
using Freshet.Streaming.Connectors.Kafka;
using Freshet.Streaming.Connectors.LogTopic;
using Freshet.Streaming.Planning;
using Freshet.Streaming.Tables;
using Freshet.Streaming.Time;

namespace Freshet.Sql.Connectors;

/// <summary>
/// Turns catalog tables into the engine's sources and sinks: the table connectors <c>freshet-log</c>, <c>kafka</c>,
/// <c>upsert-kafka</c>, <c>filesystem</c>, <c>print</c> and <c>blackhole</c>, with Flink's option names (see
/// docs/sql.md, "Connectors and formats"). Sources produce rows of <see cref="SourceColumns"/>; sinks take rows of
/// <see cref="SinkColumns"/>. Every option problem is a <see cref="SqlValidationException"/> naming the table and the
/// option, found by <see cref="Validate"/> (which the planner calls first) and again by the factories. Stateless;
/// thread-safe.
/// </summary>
internal static class TableConnectors
{
    /// <summary>The columns of the rows a source produces: the table's physical and metadata columns in table order
    /// (computed columns are the planner's).</summary>
    public static IReadOnlyList<CatalogColumn> SourceColumns(CatalogTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Columns.Where(c => c.Kind != CatalogColumnKind.Computed).ToArray();
    }

    /// <summary>The columns of the rows a sink takes (what INSERT writes): physical and non-VIRTUAL metadata columns in
    /// table order.</summary>
    public static IReadOnlyList<CatalogColumn> SinkColumns(CatalogTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Columns.Where(c => c.IsWritable).ToArray();
    }

    /// <summary>
    /// Checks the table's connector options and formats (unknown options, invalid values, missing required options,
    /// metadata keys and types, format types). The cluster of a Kafka table may come from the job, so a missing
    /// <c>properties.bootstrap.servers</c> is an error only when <paramref name="context"/> is given and has no default.
    /// </summary>
    /// <exception cref="SqlValidationException">An option is unknown or invalid.</exception>
    public static void Validate(CatalogTable table, SqlConnectorContext? context = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        _ = Spec(table, context?.DefaultBootstrapServers, requireBootstrapServers: context is not null);
    }

    /// <summary>
    /// A source of the table's rows (<see cref="SourceColumns"/>). Append tables emit +I changes; upsert tables
    /// (<c>upsert-kafka</c>, <c>freshet-log</c> with a primary key) emit +I for a record with a value and -D (key
    /// columns set, others NULL) for one without. Event time is the record's timestamp for Kafka and log tables, none
    /// for files, until <paramref name="watermarks"/> assigns it.
    /// </summary>
    /// <exception cref="SqlValidationException">The options are invalid, or the topic, file or log store is missing.</exception>
    public static DataStream<Change<Row>> CreateSource(CatalogTable table, SqlConnectorContext context, WatermarkStrategy<Change<Row>>? watermarks)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(context);
        var spec = Spec(table, context.DefaultBootstrapServers, requireBootstrapServers: true);
        watermarks ??= WatermarkStrategy.NoWatermarks<Change<Row>>();
        return spec switch
        {
            KafkaTableSpec kafka when table.Connector == "freshet-log" => LogSource(table, kafka, context, watermarks),
            KafkaTableSpec kafka => KafkaSource(kafka, context.Environment, watermarks),
            FileSystemTableSpec files => FileSource(table, files, context.Environment, watermarks),
            _ => throw Refuse(table, $"connector '{table.Connector}' cannot be read; it is a sink only"),
        };
    }

    /// <summary>
    /// Writes an append-only stream of rows (<see cref="SinkColumns"/>) into the table: <c>freshet-log</c> without a
    /// primary key, <c>kafka</c>, <c>filesystem</c>; <c>print</c> and <c>blackhole</c> take every kind of change.
    /// A writable <c>timestamp</c> metadata column becomes the record timestamp.
    /// </summary>
    /// <exception cref="SqlValidationException">The options are invalid, the table is an upsert table (its sink is the
    /// planner's, see <see cref="UpsertEncoders"/>), or a metadata column cannot be written.</exception>
    public static DataStreamSink CreateAppendSink(DataStream<Change<Row>> rows, CatalogTable table, SqlConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(context);
        if (table.IsUpsertSource)
        {
            throw Refuse(table, $"connector '{table.Connector}' with a primary key is written by an upsert sink, not an append sink");
        }

        var spec = Spec(table, context.DefaultBootstrapServers, requireBootstrapServers: true);
        var (sink, parallelism) = spec switch
        {
            KafkaTableSpec kafka when table.Connector == "freshet-log" => (LogSink(rows, table, kafka, context), kafka.SinkParallelism),
            KafkaTableSpec kafka => (KafkaSink(rows, table, kafka), kafka.SinkParallelism),
            FileSystemTableSpec files => (rows.SinkToFiles(files.Path, change => Encoding.UTF8.GetString(files.Format.Encode(change.Row) ?? []), files.Rolling).WithName($"Filesystem Sink: {table.Name}"), files.SinkParallelism),
            PrintSpec print => (rows.SinkTo(new PrintTableSink(print.Identifier, context.PrintOutput ?? (print.StandardError ? Console.Error : Console.Out)), $"Print: {table.Name}"), print.SinkParallelism),
            _ => (rows.SinkTo(new BlackholeTableSink(), $"Blackhole: {table.Name}"), null),
        };
        return parallelism is { } p ? sink.SetParallelism(p) : sink;
    }

    /// <summary>
    /// The record key and value of an upsert table's row (<see cref="SinkColumns"/>), for the planner's upsert sink:
    /// the key holds the primary key in <c>key.format</c>, the value the value columns in <c>value.format</c>.
    /// </summary>
    /// <exception cref="SqlValidationException">The table is not an upsert table, or its options are invalid.</exception>
    public static (Func<Row, byte[]?> Key, Func<Row, byte[]?> Value) UpsertEncoders(CatalogTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!table.IsUpsertSource)
        {
            throw Refuse(table, $"connector '{table.Connector}' without a primary key is not an upsert table");
        }

        var spec = (KafkaTableSpec)Spec(table, null, requireBootstrapServers: false);
        CheckWritableMetadata(table);
        return (spec.EncodeKey, spec.EncodeValue);
    }

    /// <summary>
    /// The sink of an upsert table (<c>upsert-kafka</c>, <c>freshet-log</c> with a primary key): each insert or
    /// update writes the row under its primary key, each delete a tombstone, so the compacted topic holds the
    /// result (Freshet.Streaming's upsert sinks; exactly-once with <c>'sink.delivery-guarantee' = 'exactly-once'</c>
    /// and checkpoints).
    /// </summary>
    /// <exception cref="SqlValidationException">The table is not an upsert table, or its options are invalid.</exception>
    public static DataStreamSink CreateUpsertSink(DataStream<Change<Row>> rows, CatalogTable table, SqlConnectorContext context)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(context);
        var (key, value) = UpsertEncoders(table);
        var spec = (KafkaTableSpec)Spec(table, context.DefaultBootstrapServers, requireBootstrapServers: table.Connector != "freshet-log");
        DataStreamSink sink;
        if (table.Connector == "freshet-log")
        {
            sink = rows.SinkToLogTopicAsUpsert(SinkStore(table, spec, context), spec.Topic, key, value, LogSinkOptionsOf(spec));
        }
        else
        {
            sink = rows.SinkToKafkaAsUpsert(KafkaSinkOptionsOf(table, spec), key, value);
        }

        sink = sink.WithName($"Upsert Sink: {table.Name}");
        return spec.SinkParallelism is { } p ? sink.SetParallelism(p) : sink;
    }

    /// <summary>The options of a <c>filesystem</c> table, for reading it whole (<see cref="FileLookupTable"/>).</summary>
    /// <exception cref="SqlValidationException">Its options are invalid.</exception>
    internal static FileSystemTableSpec LookupSpec(CatalogTable table) => (FileSystemTableSpec)Spec(table, null, requireBootstrapServers: false);

    private static object Spec(CatalogTable table, string? defaultBootstrapServers, bool requireBootstrapServers)
    {
        try
        {
            var options = new OptionReader(table.Options);
            object spec = table.Connector switch
            {
                "freshet-log" or "kafka" or "upsert-kafka" => KafkaTableSpec.Parse(table, options, defaultBootstrapServers, requireBootstrapServers),
                "filesystem" => FileSystemTableSpec.Parse(table, options),
                "print" => PrintSpec.Parse(options),
                "blackhole" => new object(),
                _ => throw new SqlValidationException($"connector '{table.Connector}' is not available yet; available: 'blackhole', 'filesystem', 'freshet-log', 'kafka', 'print', 'upsert-kafka'"),
            };
            if (table.Connector is "print" or "blackhole")
            {
                foreach (var column in table.Columns.Where(c => c.Kind == CatalogColumnKind.Metadata))
                {
                    throw new SqlValidationException($"Metadata column '{column.Name}': the {table.Connector} connector has no metadata");
                }
            }

            options.RefuseUnread($"connector '{table.Connector}'");
            return spec;
        }
        catch (SqlValidationException e) when (e.Line == 0)
        {
            throw Refuse(table, e.Problem);
        }
    }

    private static SqlValidationException Refuse(CatalogTable table, string problem) =>
        problem.StartsWith($"Table '{table.Name}'", StringComparison.Ordinal) ? new(problem) : new($"Table '{table.Name}': {problem}");

    private static void CheckWritableMetadata(CatalogTable table)
    {
        try
        {
            foreach (var column in table.Columns.Where(c => c.Kind == CatalogColumnKind.Metadata))
            {
                MetadataKeys.CheckWritable(column);
            }
        }
        catch (SqlValidationException e) when (e.Line == 0)
        {
            throw Refuse(table, e.Problem);
        }
    }

    private static DataStream<Change<Row>> LogSource(CatalogTable table, KafkaTableSpec spec, SqlConnectorContext context, WatermarkStrategy<Change<Row>> watermarks)
    {
        var store = context.LogStore ?? throw Refuse(table, "connector 'freshet-log' needs the job's embedded log store, and the job has none");
        var topic = spec.Topic;
        if (!store.TryDescribeTopic(topic, out _))
        {
            throw Refuse(table, $"topic '{topic}' does not exist in the embedded log store");
        }

        var options = new LogSourceOptions
        {
            StartingOffsets = spec.SpecificOffsets is null ? spec.StartingOffsets : StartingOffsets.Earliest,
            Bounded = spec.Bounded,
            CommitToGroup = spec.GroupId,
        };
        LogTopicSourceReader<Change<Row>>.Converter convert = (LogRecord record, int partition, out Change<Row> change) =>
        {
            change = default;
            return spec.Wants(partition, record.Offset)
                && spec.TryDecode(record.Key, record.Value, new RecordFacts(topic, partition, record.Offset, record.Timestamp, record.Headers, null), out change);
        };
        var environment = context.Environment;
        var node = new SourceTransformation<Change<Row>>(
            environment.NextId(), $"Log Source: {table.Name}", environment.Options.Parallelism, readerContext => new LogTopicSourceReader<Change<Row>>(store, topic, convert, options, readerContext), watermarks);
        return environment.Add(node);
    }

    private static DataStream<Change<Row>> KafkaSource(KafkaTableSpec spec, StreamEnvironment environment, WatermarkStrategy<Change<Row>> watermarks)
    {
        var options = new KafkaSourceOptions
        {
            BootstrapServers = spec.BootstrapServers!,
            Topic = spec.Topic,
            GroupId = spec.GroupId,
            StartingOffsets = spec.SpecificOffsets is null ? spec.StartingOffsets : StartingOffsets.Earliest,
            Bounded = spec.Bounded,
            CommitOffsets = spec.GroupId is not null,
            Properties = spec.ClientProperties,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw Refuse(spec.Table, e.Message);
        }

        KafkaSourceReader<Change<Row>>.Converter convert = (ConsumeResult<byte[]?, byte[]?> result, out Change<Row> change) =>
        {
            change = default;
            var partition = result.Partition.Value;
            var offset = result.Offset.Value;
            return spec.Wants(partition, offset)
                && spec.TryDecode(result.Message.Key, result.Message.Value, new RecordFacts(result.Topic, partition, offset, result.Message.Timestamp.UnixTimestampMs, null, result.Message.Headers), out change);
        };
        var node = new SourceTransformation<Change<Row>>(
            environment.NextId(), $"Kafka Source: {spec.Table.Name}", environment.Options.Parallelism, context => new KafkaSourceReader<Change<Row>>(options, convert, context), watermarks)
        {
            Topic = options.Topic,
            PartitionReaderFactory = (placement, context) => new KafkaSourceReader<Change<Row>>(options.ForApplicationTask(placement), convert, context),
        };
        return environment.Add(node);
    }

    private static DataStream<Change<Row>> FileSource(CatalogTable table, FileSystemTableSpec spec, StreamEnvironment environment, WatermarkStrategy<Change<Row>> watermarks)
    {
        var format = spec.Format;
        Change<Row>? Decode(string line)
        {
            var row = format.Decode(Encoding.UTF8.GetBytes(line));
            return row is null ? null : new Change<Row>(RowKind.Insert, row);
        }

        // Lines carry no timestamp: a strategy's assigner sees the decoded row (decoded once more for it).
        var lineWatermarks = new WatermarkStrategy<string>(
            watermarks.MaxOutOfOrdernessMs,
            watermarks.TimestampAssigner is { } assign ? (line, timestamp) => Decode(line) is { } change ? assign(change, timestamp) : timestamp : null,
            watermarks.IdlenessMs);
        DataStream<string> lines;
        try
        {
            lines = environment.FromTextFiles(spec.Path, "*", lineWatermarks, $"Filesystem Source: {table.Name}");
        }
        catch (FileNotFoundException)
        {
            throw Refuse(table, $"option 'path' names '{spec.Path}', which is neither a file nor a directory");
        }

        var path = spec.Path;
        return lines.FlatMap<Change<Row>>((line, output) =>
        {
            Change<Row>? change;
            try
            {
                change = Decode(line);
            }
            catch (SqlFormatException e)
            {
                throw e.At(path);
            }

            if (change is { } c)
            {
                output.Collect(c);
            }
        }).WithName($"Decode: {table.Name}");
    }

    private static DataStreamSink LogSink(DataStream<Change<Row>> rows, CatalogTable table, KafkaTableSpec spec, SqlConnectorContext context)
    {
        CheckWritableMetadata(table);
        var store = SinkStore(table, spec, context);
        return WithRecordTimestamps(rows, spec).SinkTo(
            new LogTopicSink<Change<Row>>(store, spec.Topic, change => (spec.EncodeKey(change.Row), spec.EncodeValue(change.Row)), LogSinkOptionsOf(spec)), $"Log Sink: {table.Name}");
    }

    private static DataStreamSink KafkaSink(DataStream<Change<Row>> rows, CatalogTable table, KafkaTableSpec spec)
    {
        CheckWritableMetadata(table);
        var options = KafkaSinkOptionsOf(table, spec);
        Action<Change<Row>, IBufferWriter<byte>>? writeKey = spec.KeyFormat is null ? null : (change, output) => output.Write(spec.EncodeKey(change.Row) ?? []);
        return WithRecordTimestamps(rows, spec).SinkTo(
            new KafkaSink<Change<Row>>(options, writeKey, (change, output) => output.Write(spec.EncodeValue(change.Row) ?? [])), $"Kafka Sink: {table.Name}");
    }

    /// <summary>The log store a <c>freshet-log</c> sink writes, with its topic created if missing (unless only planned).</summary>
    private static LogStore SinkStore(CatalogTable table, KafkaTableSpec spec, SqlConnectorContext context)
    {
        var store = context.LogStore ?? throw Refuse(table, "connector 'freshet-log' needs the job's embedded log store, and the job has none");
        if (!context.PlanOnly && !store.TryDescribeTopic(spec.Topic, out _))
        {
            // As Kafka's auto.create.topics.enable: a sink's missing topic is created with one partition.
            store.CreateTopic(spec.Topic, 1);
        }

        return store;
    }

    private static LogSinkOptions LogSinkOptionsOf(KafkaTableSpec spec) =>
        new() { DeliveryGuarantee = spec.DeliveryGuarantee, TransactionalIdPrefix = spec.TransactionalIdPrefix };

    private static KafkaSinkOptions KafkaSinkOptionsOf(CatalogTable table, KafkaTableSpec spec)
    {
        var options = new KafkaSinkOptions
        {
            BootstrapServers = spec.BootstrapServers!,
            Topic = spec.Topic,
            Properties = spec.ClientProperties,
            DeliveryGuarantee = spec.DeliveryGuarantee,
            TransactionalIdPrefix = spec.TransactionalIdPrefix,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw Refuse(table, e.Message);
        }

        return options;
    }

    private static DataStream<Change<Row>> WithRecordTimestamps(DataStream<Change<Row>> rows, KafkaTableSpec spec)
    {
        if (!spec.HasSinkTimestamp)
        {
            return rows;
        }

        var environment = rows.Environment;
        var node = new OneInputTransformation<Change<Row>, Change<Row>>(
            environment.NextId(), "Record Timestamp", rows.Parallelism, rows.Node, InputPartitioning.Default, (setup, next) => new RecordTimestampOperator(setup, spec.SinkTimestampMs, next));
        return environment.Add(node);
    }

    /// <summary>The <c>print</c> connector's options: <c>print-identifier</c>, <c>standard-error</c>, <c>sink.parallelism</c>.</summary>
    private sealed record PrintSpec(string? Identifier, bool StandardError, int? SinkParallelism)
    {
        public static PrintSpec Parse(OptionReader options)
        {
            var parallelism = options.Long("sink.parallelism", 0, min: 1, max: int.MaxValue);
            return new PrintSpec(options.String("print-identifier"), options.Bool("standard-error", false), parallelism == 0 ? null : (int)parallelism);
        }
    }
}
