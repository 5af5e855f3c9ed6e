namespace RecordKv.Cli;

/// <summary>The process exit codes of <c>recordkv</c> (the BSD sysexits values where one fits).</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The input was wrong or unreadable (missing file, malformed CAR, bad DID document).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself was wrong (unknown verb, missing argument).</summary>
    public const int Usage = 2;

    /// <summary>A bug: an exception nobody expected (EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Interrupted (Ctrl+C): 128 + SIGINT, as shells report it.</summary>
    public const int Cancelled = 130;
}
