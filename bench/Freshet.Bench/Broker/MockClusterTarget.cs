using System.Runtime.InteropServices;
using System.Text;
using Freshet.Shared;

namespace Freshet.Bench.Broker;

/// <summary>
/// librdkafka's built-in mock cluster: an in-memory Kafka broker written in C that a librdkafka client
/// configured with <c>test.mock.num.brokers</c> starts inside itself, listening on loopback.
/// <para>
/// Here the owner is a bare librdkafka producer handle created through librdkafka's C API (the same
/// native library Confluent.Kafka uses), because the mock's control functions (<c>rdkafka_mock.h</c>) need
/// the <c>rd_kafka_t</c> pointer, which Confluent.Kafka does not expose: <c>rd_kafka_handle_mock_cluster</c>
/// gives the cluster, <c>rd_kafka_mock_cluster_bootstraps</c> its <c>host:port</c>, and
/// <c>rd_kafka_mock_topic_create</c> creates topics with an exact partition count (the mock serves no
/// CreateTopics request, and auto-creation would give it 4 partitions). Producers and consumers then
/// bootstrap from that address like from any broker, with the same Confluent.Kafka code as for Freshet.
/// Disposing destroys the owner, which stops the cluster and frees its memory.
/// </para>
/// </summary>
internal sealed unsafe class MockClusterTarget : BenchTarget
{
    private const int ProducerType = 0;
    private const int ConfigOk = 0;

    private static readonly Lazy<Api> Native = new(Api.Bind);

    private IntPtr _owner;
    private readonly IntPtr _cluster;

    private MockClusterTarget(IntPtr owner, IntPtr cluster, string bootstrapServers)
    {
        _owner = owner;
        _cluster = cluster;
        BootstrapServers = bootstrapServers;
    }

    public override string Name => "mock";

    public override string BootstrapServers { get; }

    public static MockClusterTarget Start()
    {
        var api = Native.Value;
        var error = new byte[512];
        fixed (byte* errstr = error)
        {
            var conf = api.ConfNew();

            // log_level 4 (warning): the cluster announces itself at notice level on every start.
            foreach (var (name, value) in new[] { ("test.mock.num.brokers", "1"), ("log_level", "4") })
            {
                fixed (byte* n = Utf8(name), v = Utf8(value))
                {
                    if (api.ConfSet(conf, n, v, errstr, (nuint)error.Length) != ConfigOk)
                    {
                        api.ConfDestroy(conf);
                        throw new InvalidOperationException($"librdkafka refused {name}={value}: {Text(errstr)}");
                    }
                }
            }

            // rd_kafka_new takes ownership of the configuration when it succeeds.
            var owner = api.New(ProducerType, conf, errstr, (nuint)error.Length);
            if (owner == IntPtr.Zero)
            {
                api.ConfDestroy(conf);
                throw new InvalidOperationException($"librdkafka could not start the mock cluster: {Text(errstr)}");
            }

            var cluster = api.HandleMockCluster(owner);
            if (cluster == IntPtr.Zero)
            {
                api.Destroy(owner);
                throw new InvalidOperationException("librdkafka started no mock cluster for test.mock.num.brokers=1.");
            }

            return new MockClusterTarget(owner, cluster, Text(api.MockClusterBootstraps(cluster)));
        }
    }

    public override void CreateTopic(string topic, int partitions)
    {
        ObjectDisposedException.ThrowIf(_owner == IntPtr.Zero, this);
        int code;
        fixed (byte* name = Utf8(topic))
        {
            code = Native.Value.MockTopicCreate(_cluster, name, partitions, 1);
        }

        if (code != 0)
        {
            throw new InvalidOperationException($"The mock cluster could not create {topic}: librdkafka error {code}.");
        }
    }

    public override void Dispose()
    {
        if (_owner != IntPtr.Zero)
        {
            Native.Value.Destroy(_owner);
            _owner = IntPtr.Zero;
        }
    }

    /// <summary>NUL-terminated UTF-8, pinned by the caller for the call (librdkafka copies what it keeps).</summary>
    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");

    private static string Text(byte* text) => Marshal.PtrToStringUTF8((IntPtr)text) ?? string.Empty;

    /// <summary>The librdkafka functions used, bound from the build <see cref="KafkaNativeLibrary"/> loaded.</summary>
    private sealed class Api
    {
        public delegate* unmanaged<IntPtr> ConfNew;
        public delegate* unmanaged<IntPtr, void> ConfDestroy;
        public delegate* unmanaged<IntPtr, byte*, byte*, byte*, nuint, int> ConfSet;
        public delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr> New;
        public delegate* unmanaged<IntPtr, void> Destroy;
        public delegate* unmanaged<IntPtr, IntPtr> HandleMockCluster;
        public delegate* unmanaged<IntPtr, byte*> MockClusterBootstraps;
        public delegate* unmanaged<IntPtr, byte*, int, int, int> MockTopicCreate;

        public static Api Bind()
        {
            var library = NativeLibrary.Load(KafkaNativeLibrary.EnsureLoaded());
            return new Api
            {
                ConfNew = (delegate* unmanaged<IntPtr>)NativeLibrary.GetExport(library, "rd_kafka_conf_new"),
                ConfDestroy = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(library, "rd_kafka_conf_destroy"),
                ConfSet = (delegate* unmanaged<IntPtr, byte*, byte*, byte*, nuint, int>)NativeLibrary.GetExport(library, "rd_kafka_conf_set"),
                New = (delegate* unmanaged<int, IntPtr, byte*, nuint, IntPtr>)NativeLibrary.GetExport(library, "rd_kafka_new"),
                Destroy = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(library, "rd_kafka_destroy"),
                HandleMockCluster = (delegate* unmanaged<IntPtr, IntPtr>)NativeLibrary.GetExport(library, "rd_kafka_handle_mock_cluster"),
                MockClusterBootstraps = (delegate* unmanaged<IntPtr, byte*>)NativeLibrary.GetExport(library, "rd_kafka_mock_cluster_bootstraps"),
                MockTopicCreate = (delegate* unmanaged<IntPtr, byte*, int, int, int>)NativeLibrary.GetExport(library, "rd_kafka_mock_topic_create"),
            };
        }
    }
}
