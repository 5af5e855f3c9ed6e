namespace RecordKv.Builder.Tests;

public sealed class BuilderRuntimeTests
{
    private static readonly Guid Random = Guid.Parse("0123456789abcdef0123456789abcdef");

    [Theory]
    [InlineData("vm", 853, "vm-853-0123456789ab")] // a short host name and a small pid: this once threw
    [InlineData("builder-a", 4_194_304, "builder-a-4194304-0123456789ab")]
    [InlineData("a-very-long-host-name-of-some-cloud-provider.internal", 1234, "a-very-long-host-name--1234-0123456789ab")]
    public void GenerateInstanceId_AnyHostNameAndPid_KeepsPidAndRandomPartWithinTheLimit(string machineName, int processId, string expected)
    {
        var id = BuilderRuntime.GenerateInstanceId(machineName, processId, Random);

        id.ShouldBe(expected);
        id.Length.ShouldBeLessThanOrEqualTo(BuilderRuntime.MaxGeneratedInstanceIdLength);
    }

    [Fact]
    public void GenerateInstanceId_TwoProcessesOnOneLongNamedHost_Differ()
    {
        var host = new string('h', 80);

        var first = BuilderRuntime.GenerateInstanceId(host, 7, Guid.NewGuid());
        var second = BuilderRuntime.GenerateInstanceId(host, 7, Guid.NewGuid());

        first.ShouldNotBe(second);
    }
}
