using System.Globalization;

namespace RecordKv.Pipeline.Tests;

/// <summary>Runs refnet's <c>drive.mjs</c> (accounts, posts, an applyWrites batch, images, likes, reposts, follows, edits, deletes, handle changes, deactivations) against a PDS.</summary>
internal static class RefNetDriver
{
    /// <summary>Drives the PDS; <paramref name="options"/> are drive.mjs flags (<c>--accounts 3</c>, <c>--leave-deactivated</c>, …).</summary>
    public static async Task<RefNetDriveSummary> DriveAsync(RefNetNetwork network, IEnumerable<string> options, TimeSpan limit, CancellationToken cancellationToken)
    {
        var script = RefNetInstallation.Script("drive.mjs");
        var output = Path.Combine(Path.GetTempPath(), $"recordkv-refnet-drive-{Guid.NewGuid():N}.json");
        string[] arguments =
        [
            "--pds", network.PdsUrl.ToString().TrimEnd('/'),
            "--out", output,
            "--max-seconds", ((int)limit.TotalSeconds).ToString(CultureInfo.InvariantCulture),
            .. options,
        ];
        try
        {
            await using var drive = RefNetNodeProcess.Start(script, arguments);
            var exitCode = await drive.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            if (exitCode != 0 || !File.Exists(output))
            {
                throw new InvalidOperationException(
                    $"drive.mjs {string.Join(' ', options)} failed (exit code {exitCode}):\n{drive.StandardError}\n--- the PDS's stderr ---\n{network.StandardError}");
            }

            return RefNetDriveSummary.Parse(await File.ReadAllTextAsync(output, cancellationToken).ConfigureAwait(false));
        }
        finally
        {
            File.Delete(output);
        }
    }
}
