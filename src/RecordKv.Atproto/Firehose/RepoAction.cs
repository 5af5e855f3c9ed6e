namespace RecordKv.Atproto.Firehose;

/// <summary>What a record operation in a <c>#commit</c> does.</summary>
public enum RepoAction
{
    /// <summary>A new record.</summary>
    Create,

    /// <summary>A new version of an existing record.</summary>
    Update,

    /// <summary>A removed record.</summary>
    Delete,
}
