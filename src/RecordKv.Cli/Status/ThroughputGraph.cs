using System.Globalization;
using System.Text;

namespace RecordKv.Cli.Status;

/// <summary>
/// Renders <c>recordkv graph</c>'s lines: a bar of the acknowledgement rate scaled to the highest rate seen, and a
/// sparkline of the recent history (like <c>nats consumer graph</c>, in plain text so it also works in a log or a pipe).
/// </summary>
internal sealed class ThroughputGraph
{
    private const string Levels = "▁▂▃▄▅▆▇█";
    private readonly int _barWidth;
    private readonly int _history;
    private readonly Queue<double> _recent = new();
    private double _peak = 1;

    public ThroughputGraph(int barWidth = 30, int history = 40)
    {
        _barWidth = barWidth;
        _history = history;
    }

    /// <summary>Adds a sample and returns its line.</summary>
    public string Add(ThroughputSample sample)
    {
        _peak = Math.Max(_peak, Math.Max(sample.AckedPerSecond, sample.DeliveredPerSecond));
        _recent.Enqueue(sample.AckedPerSecond);
        if (_recent.Count > _history)
        {
            _recent.Dequeue();
        }

        var bar = new string('█', (int)Math.Round(sample.AckedPerSecond / _peak * _barWidth));
        var spark = new StringBuilder(_recent.Count);
        foreach (var rate in _recent)
        {
            spark.Append(Levels[(int)Math.Round(rate / _peak * (Levels.Length - 1))]);
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"{sample.At:HH:mm:ss} delivered {sample.DeliveredPerSecond,9:N1}/s  acked {sample.AckedPerSecond,9:N1}/s |{bar.PadRight(_barWidth)}| {spark}  pending {sample.Pending:N0}  ack pending {sample.AckPending:N0}");
    }
}
