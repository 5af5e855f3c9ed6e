namespace RecordKv.Cli.Tests;

public sealed class CliApplicationTests
{
    [Fact]
    public async Task RunAsync_NoArguments_UsageErrorOnStderr()
    {
        var run = await CliRun.RunAsync();

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.ErrorLines[0].ShouldStartWith("recordkv: error: ");
        run.Output.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_UnknownVerb_UsageErrorNamesIt()
    {
        var run = await CliRun.RunAsync("frobnicate");

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.Error.ShouldContain("frobnicate");
    }

    [Fact]
    public async Task RunAsync_RepoInspectWithoutFile_UsageError()
    {
        var run = await CliRun.RunAsync("repo", "inspect");

        run.ExitCode.ShouldBe(ExitCodes.Usage);
        run.ErrorLines[0].ShouldStartWith("recordkv: error: ");
    }

    [Fact]
    public async Task RunAsync_Help_ListsVerbsOnStdout()
    {
        var run = await CliRun.RunAsync("--help");

        run.ExitCode.ShouldBe(ExitCodes.Success);
        run.Output.ShouldContain("repo");
        run.Error.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_RepoHelp_ListsInspectAndLs()
    {
        var run = await CliRun.RunAsync("repo", "--help");

        run.ExitCode.ShouldBe(ExitCodes.Success);
        run.Output.ShouldContain("inspect");
        run.Output.ShouldContain("ls");
    }

    [Fact]
    public async Task RunAsync_MissingCarFile_OneLineErrorWithoutStackTrace()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"recordkv-missing-{Guid.NewGuid():N}.car");

        var run = await CliRun.RunAsync("repo", "inspect", missing);

        run.ExitCode.ShouldBe(ExitCodes.Failure);
        run.ErrorLines.ShouldHaveSingleItem().ShouldStartWith("recordkv: error: file not found: ");
        run.Error.ShouldContain(missing);
        run.Output.ShouldBeEmpty();
    }

    [Fact]
    public async Task RunAsync_MissingCarFileVerbose_AddsStackTrace()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"recordkv-missing-{Guid.NewGuid():N}.car");

        var run = await CliRun.RunAsync("repo", "ls", missing, "--verbose");

        run.ExitCode.ShouldBe(ExitCodes.Failure);
        run.ErrorLines[0].ShouldStartWith("recordkv: error: file not found: ");
        run.Error.ShouldContain(" at ");
    }
}
