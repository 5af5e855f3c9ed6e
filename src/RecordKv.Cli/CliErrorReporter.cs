using System.Text.Json;
using RecordKv.Atproto.Identity;
using RecordKv.Atproto.Mst;

namespace RecordKv.Cli;

/// <summary>The one place that turns an exception from a command into a one-line <c>recordkv: error: ...</c> and an exit code.</summary>
/// <remarks>Expected failures (bad input, missing files) print their message only; anything else is a bug and says so.
/// A stack trace appears only with <c>--verbose</c>.</remarks>
internal static class CliErrorReporter
{
    public const string Prefix = "recordkv: error: ";

    /// <summary>Writes the error for <paramref name="exception"/> to <paramref name="error"/> and returns the exit code.</summary>
    public static int Report(Exception exception, TextWriter error, bool verbose)
    {
        var (message, exitCode) = Describe(exception);
        error.WriteLine(Prefix + OneLine(message));
        if (verbose)
        {
            error.WriteLine(exception.ToString());
        }

        return exitCode;
    }

    /// <summary>The message and exit code for an exception, without writing anything.</summary>
    public static (string Message, int ExitCode) Describe(Exception exception) => exception switch
    {
        OperationCanceledException => ("cancelled", ExitCodes.Cancelled),
        CliException => (exception.Message, ExitCodes.Failure),
        FileNotFoundException notFound => ($"file not found: {notFound.FileName ?? notFound.Message}", ExitCodes.Failure),
        DirectoryNotFoundException => (exception.Message, ExitCodes.Failure),
        UnauthorizedAccessException => ($"permission denied: {exception.Message}", ExitCodes.Failure),
        EndOfStreamException => ($"unexpected end of input: {exception.Message}", ExitCodes.Failure),
        IOException => ($"I/O error: {exception.Message}", ExitCodes.Failure),
        JsonException => ($"invalid JSON: {exception.Message}", ExitCodes.Failure),

        // Every format error of the atproto library derives from FormatException (syntax, CID, DAG-CBOR, CAR, keys, repository).
        // The input errors that are not FormatExceptions: a DID document without a usable key, an incomplete MST.
        FormatException or InvalidDataException or DidDocumentException or MstException => (exception.Message, ExitCodes.Failure),
        _ => ($"unexpected {exception.GetType().Name}: {exception.Message} (this is a bug; --verbose shows where)", ExitCodes.InternalError),
    };

    private static string OneLine(string message)
    {
        var trimmed = message.Trim();
        return trimmed.Contains('\n', StringComparison.Ordinal)
            ? trimmed.ReplaceLineEndings(" ")
            : trimmed;
    }
}
