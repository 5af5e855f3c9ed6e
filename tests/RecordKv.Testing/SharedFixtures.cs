namespace RecordKv.Testing;

/// <summary>Finds the repository root and the test data in <c>../shared/fixtures</c> that nobody on this project wrote.</summary>
public static class SharedFixtures
{
    private static readonly Lazy<string> RepositoryRootPath = new(FindRepositoryRoot);

    /// <summary>The repository root: the folder that holds <c>RecordKv.sln</c>.</summary>
    public static string RepositoryRoot => RepositoryRootPath.Value;

    /// <summary>The <c>shared</c> folder beside the repository (overridable with RECORDKV_SHARED).</summary>
    public static string SharedRoot =>
        Environment.GetEnvironmentVariable("RECORDKV_SHARED") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared"));

    /// <summary>The <c>tests/js</c> folder with the reference implementations the cross-checks run.</summary>
    public static string JavaScriptRoot => System.IO.Path.Combine(RepositoryRoot, "tests", "js");

    /// <summary>A path below <c>shared/fixtures</c>, e.g. <c>Path("atproto-interop", "syntax", "did_syntax_valid.txt")</c>.</summary>
    public static string Path(params string[] parts)
    {
        var path = System.IO.Path.Combine([SharedRoot, "fixtures", .. parts]);
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Shared fixture not found: {path}. The tests expect ../shared beside the repository.", path);
        }

        return path;
    }

    /// <summary>The test values of an interop <c>*.txt</c> list: empty lines and lines starting with '#' are skipped, nothing is trimmed.</summary>
    public static IEnumerable<string> ReadInteropLines(params string[] parts)
    {
        foreach (var line in File.ReadAllText(Path(parts)).Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            yield return line;
        }
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "RecordKv.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No RecordKv.sln above {AppContext.BaseDirectory}.");
    }
}
