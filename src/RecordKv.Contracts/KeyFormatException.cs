namespace RecordKv.Contracts;

/// <summary>A key, AT-URI or token does not follow RecordKv's key schema.</summary>
public sealed class KeyFormatException : FormatException
{
    /// <summary>Creates the exception with a message naming the value and what is wrong.</summary>
    public KeyFormatException(string message)
        : base(message)
    {
    }
}
