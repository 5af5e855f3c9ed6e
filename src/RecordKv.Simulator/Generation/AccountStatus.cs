namespace RecordKv.Simulator.Generation;

/// <summary>The hosting status of a simulated account, as #account and listRepos report it.</summary>
internal enum AccountStatus
{
    Active,
    Deactivated,
    Takendown,
    Deleted,
}
