namespace Freshet.Log.Topics;

/// <summary>The type of a configuration value, numbered as Kafka's DescribeConfigs <c>ConfigType</c>.</summary>
internal enum ConfigValueType : sbyte
{
    Boolean = 1,
    String = 2,
    Int = 3,
    Long = 5,
    Double = 6,
    List = 7,
}
