using System.Text.Json;
using RecordKv.Atproto.Identity;
using RecordKv.Atproto.Syntax;

namespace RecordKv.Cli.Tests;

public sealed class CliErrorReporterTests
{
    public static TheoryData<Exception, string, int> Cases => new()
    {
        { new FileNotFoundException("Could not find file.", "/x/y.car"), "file not found: /x/y.car", ExitCodes.Failure },
        { new CliException("y.car: not a CAR file"), "y.car: not a CAR file", ExitCodes.Failure },
        { new SyntaxFormatException(SyntaxKind.Did, "must start with lowercase \"did:\"", "DID:x:y"), "Invalid DID", ExitCodes.Failure },
        { new DidDocumentException("no #atproto key"), "no #atproto key", ExitCodes.Failure },
        { new JsonException("'}' is invalid"), "invalid JSON: '}' is invalid", ExitCodes.Failure },
        { new EndOfStreamException("truncated block"), "unexpected end of input: truncated block", ExitCodes.Failure },
        { new OperationCanceledException(), "cancelled", ExitCodes.Cancelled },
        { new InvalidOperationException("oops"), "unexpected InvalidOperationException: oops", ExitCodes.InternalError },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Report_Exception_OneLineAndExitCode(Exception exception, string expectedMessageStart, int expectedExitCode)
    {
        using var error = new StringWriter();

        var exitCode = CliErrorReporter.Report(exception, error, verbose: false);

        exitCode.ShouldBe(expectedExitCode);
        var lines = error.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldHaveSingleItem().ShouldStartWith("recordkv: error: " + expectedMessageStart);
    }

    [Fact]
    public void Report_MultiLineMessage_StaysOnOneLine()
    {
        using var error = new StringWriter();

        CliErrorReporter.Report(new CliException("first\nsecond"), error, verbose: false);

        error.ToString().ShouldBe("recordkv: error: first second" + Environment.NewLine);
    }

    [Fact]
    public void Report_Verbose_AddsTheStackTrace()
    {
        using var error = new StringWriter();
        Exception thrown;
        try
        {
            throw new InvalidDataException("bad block");
        }
        catch (InvalidDataException exception)
        {
            thrown = exception;
        }

        CliErrorReporter.Report(thrown, error, verbose: true);

        error.ToString().ShouldContain(nameof(Report_Verbose_AddsTheStackTrace));
    }
}
