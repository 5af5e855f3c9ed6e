using System.CommandLine;

namespace RecordKv.Cli.Commands;

/// <summary>The verbs that operate a running deployment: sub, get, likes-by, likers, put, rebuild, reset, status, graph, backfill.</summary>
internal static class StoreCommands
{
    public static IEnumerable<Command> Build() =>
    [
        SubCommand.Build(),
        GetCommand.Build(),
        LikeQueryCommands.BuildLikesBy(),
        LikeQueryCommands.BuildLikers(),
        PutCommand.Build(),
        RebuildCommand.Build(),
        ResetCommand.Build(),
        StatusCommand.Build(),
        GraphCommand.Build(),
        BackfillCommand.Build(),
    ];
}
