namespace Freshet.Broker.Configuration;

/// <summary>
/// A broker setting that cannot be used: an unknown name, a value that does not parse or is out of
/// range, or an unreadable configuration file. The message is one sentence naming the setting.
/// </summary>
public sealed class BrokerConfigurationException : Exception
{
    /// <summary>Creates the exception with a message naming the setting.</summary>
    public BrokerConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message naming the setting and the failure behind it.</summary>
    public BrokerConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public BrokerConfigurationException()
        : base("Invalid broker configuration.")
    {
    }
}
