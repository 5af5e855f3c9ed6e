using RecordKv.Testing;

namespace RecordKv.Pipeline.Tests;

/// <summary>
/// Where Bluesky's reference PLC + PDS (refnet) is installed: <c>.cache/refnet</c> in the repository, put there by
/// <c>scripts/install-deps.sh --refnet</c> (or the folder in RECORDKV_REFNET).
/// </summary>
internal static class RefNetInstallation
{
    /// <summary>The installed folder holding <c>start-network.mjs</c>, <c>drive.mjs</c> and their node_modules.</summary>
    public static string Directory =>
        Environment.GetEnvironmentVariable("RECORDKV_REFNET") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(SharedFixtures.RepositoryRoot, ".cache", "refnet");

    /// <summary>The full path of one of refnet's scripts; fails with what to run when refnet is not installed.</summary>
    public static string Script(string name)
    {
        var directory = Directory;
        var script = Path.Combine(directory, name);
        var installed = File.Exists(script)
            && System.IO.Directory.Exists(Path.Combine(directory, "node_modules", "@atproto", "dev-env"))
            && System.IO.Directory.Exists(Path.Combine(directory, "node_modules", "better-sqlite3", "build"));
        if (!installed)
        {
            throw new InvalidOperationException(
                $"Bluesky's reference PLC + PDS (refnet) is not installed in {directory}: run scripts/install-deps.sh --refnet " +
                "(./test.sh does), or point RECORDKV_REFNET at an installed copy.");
        }

        return script;
    }
}
