namespace RecordKv.Builder;

/// <summary>How one backfill job ended.</summary>
internal enum BackfillOutcome
{
    /// <summary>The repository was fetched, verified and written; its state is synchronized.</summary>
    Synchronized,

    /// <summary>The account is not active on its PDS: its status was recorded (and its records hidden).</summary>
    Inactive,

    /// <summary>The store already held a newer revision (live events overtook the listing): nothing written.</summary>
    Skipped,

    /// <summary>The repository could not be fetched or did not verify; counted as an error.</summary>
    Failed,
}
