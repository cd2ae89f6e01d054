namespace Freshet.Log.Topics;

/// <summary>Which time a record's timestamp holds (Kafka's <c>message.timestamp.type</c> topic setting).</summary>
public enum MessageTimestampType
{
    /// <summary>The time the producer gave each record (<c>CreateTime</c>, the default); stored as sent.</summary>
    CreateTime = 0,

    /// <summary>
    /// The time the log appended the batch (<c>LogAppendTime</c>): the log marks each batch with this
    /// timestamp type and sets its max timestamp to the append time, which readers report for every record.
    /// </summary>
    LogAppendTime,
}
