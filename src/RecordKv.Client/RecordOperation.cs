namespace RecordKv.Client;

/// <summary>What happened to a record.</summary>
public enum RecordOperation
{
    /// <summary>The record was created or updated; the message carries its value.</summary>
    Put,

    /// <summary>The record was deleted (a KV delete or purge); the message carries no value.</summary>
    Delete,
}
