namespace RecordKv.Cli;

/// <summary>An error a command detected itself and explains in its message, shown to the user as is.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public CliException()
    {
    }
}
