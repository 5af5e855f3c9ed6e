using System.Globalization;
using System.Text;
using RecordKv.Coordination;

namespace RecordKv.Cli.Commands;

/// <summary>
/// Renders a backfill's progress: a bar of jobs finished over jobs enqueued, records written, records/s over the
/// last few seconds, errors, jobs still queued. On a terminal the line is redrawn in place; otherwise a line is
/// written every <see cref="LineInterval"/>.
/// </summary>
internal sealed class BackfillProgressView
{
    private const int BarWidth = 24;
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(5);
    private readonly Queue<(TimeSpan At, long Records)> _samples = new();
    private readonly TextWriter _output;
    private readonly bool _interactive;
    private TimeSpan? _lastLine;

    public BackfillProgressView(TextWriter output, bool interactive)
    {
        _output = output;
        _interactive = interactive;
    }

    /// <summary>How often a non-interactive output gets a progress line.</summary>
    public TimeSpan LineInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Records per second over the last few seconds of samples.</summary>
    public double Rate { get; private set; }

    /// <summary>Formats one progress line.</summary>
    public static string Format(BackfillRunState state, BackfillProgress progress, ulong queued, double rate)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(progress);
        var inv = CultureInfo.InvariantCulture;
        var finished = Math.Min(progress.Finished, state.Enqueued);
        var fraction = state.Enqueued == 0 ? (state.ListingComplete ? 1 : 0) : (double)finished / state.Enqueued;
        var filled = (int)Math.Round(fraction * BarWidth);
        var text = new StringBuilder();
        text.Append('[').Append('#', filled).Append('-', BarWidth - filled).Append("] ");
        text.Append(inv, $"{fraction * 100,3:0}% {finished:N0}/{state.Enqueued:N0}{(state.ListingComplete ? string.Empty : "+")} repos");
        text.Append(inv, $"  {progress.Records:N0} records  {rate:N0} records/s  {progress.Errors:N0} errors");
        if (progress.Skipped > 0)
        {
            text.Append(inv, $"  {progress.Skipped:N0} skipped");
        }

        text.Append(inv, $"  {queued:N0} queued");
        if (!state.ListingComplete)
        {
            text.Append(inv, $"  (listing: {state.Listed:N0} listed)");
        }

        return text.ToString();
    }

    /// <summary>Takes a sample and shows it (in place on a terminal, else at most every <see cref="LineInterval"/> unless <paramref name="force"/>).</summary>
    public async Task ShowAsync(TimeSpan now, BackfillRunState state, BackfillProgress progress, ulong queued, bool force, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(progress);
        _samples.Enqueue((now, progress.Records));
        while (_samples.Count > 2 && now - _samples.Peek().At > RateWindow)
        {
            _samples.Dequeue();
        }

        var (firstAt, firstRecords) = _samples.Peek();
        var span = (now - firstAt).TotalSeconds;
        Rate = span > 0 ? (progress.Records - firstRecords) / span : 0;
        var line = Format(state, progress, queued, Rate);
        if (_interactive)
        {
            await _output.WriteAsync("\r\u001b[K" + line).ConfigureAwait(false);
        }
        else if (force || _lastLine is not { } last || now - last >= LineInterval)
        {
            await _output.WriteLineAsync(line).ConfigureAwait(false);
            _lastLine = now;
        }
        else
        {
            return;
        }

        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends an in-place line so the next output starts on its own line.</summary>
    public async Task EndLineAsync()
    {
        if (_interactive)
        {
            await _output.WriteLineAsync().ConfigureAwait(false);
        }
    }
}
