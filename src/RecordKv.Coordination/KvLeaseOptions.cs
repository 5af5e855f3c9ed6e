namespace RecordKv.Coordination;

/// <summary>Timing of a lease in the control bucket.</summary>
public sealed record KvLeaseOptions
{
    /// <summary>How long a lease lasts without renewal; a standby takes over after this: 6 s.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How often the holder renews, and how often a standby checks: 2 s (must be well below <see cref="Ttl"/>).</summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Throws when the timing cannot work: a renewal interval that is not below the TTL.</summary>
    public void Validate()
    {
        if (RenewInterval <= TimeSpan.Zero || Ttl <= RenewInterval)
        {
            throw new ArgumentException($"Lease renew interval ({RenewInterval}) must be positive and below the TTL ({Ttl}).");
        }
    }
}
