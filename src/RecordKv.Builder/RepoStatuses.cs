namespace RecordKv.Builder;

/// <summary>Account status values of <see cref="RepoState.Status"/>.</summary>
public static class RepoStatuses
{
    /// <summary>The account is active; its records are visible.</summary>
    public const string Active = "active";

    /// <summary>The account is deleted; its records are gone.</summary>
    public const string Deleted = "deleted";
}
