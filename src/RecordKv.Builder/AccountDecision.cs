namespace RecordKv.Builder;

/// <summary>What an <c>#account</c> event does to a repository.</summary>
internal enum AccountDecision
{
    /// <summary>Nothing changes (an active account stays active, or an unknown one becomes active).</summary>
    None,

    /// <summary>The status is recorded; the records stay (inactive accounts are not hidden by configuration).</summary>
    RecordStatus,

    /// <summary>Every record of the account is removed and the status recorded (deleted, or hidden while inactive).</summary>
    RemoveRecords,

    /// <summary>The account is active again after its records were removed: status active, then a resync restores them.</summary>
    ReactivateAndResync,

    /// <summary>The account is active again and its records were kept: only the status changes.</summary>
    Reactivate,
}
