using System.Diagnostics.Metrics;

namespace Ombaro.Tests.Support;

public static class Meters
{
    /// <summary>
    /// A running total of one counter of this host's meters (other hosts' measurements are not counted); with
    /// <paramref name="policy"/>, only the measurements tagged with that rate-limit policy.
    /// </summary>
    public static Func<long> Count(IAlbaHost host, string instrument, string? policy = null)
    {
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        long total = 0;
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter.Scope == factory && i.Name == instrument) l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            if (policy is null) { Interlocked.Add(ref total, value); return; }
            foreach (var tag in tags)
                if (tag.Key == "policy" && (string?)tag.Value == policy) { Interlocked.Add(ref total, value); return; }
        });
        listener.Start();
        return () => Interlocked.Read(ref total);
    }
}
