using System.Diagnostics.Metrics;
using Alba;
using Microsoft.Extensions.DependencyInjection;

namespace Ombaro.Tests.Support;

public static class Meters
{
    /// <summary>A running total of one counter of this host's meters (other hosts' measurements are not counted).</summary>
    public static Func<long> Count(IAlbaHost host, string instrument)
    {
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        long total = 0;
        var listener = new MeterListener
        {
            InstrumentPublished = (i, l) => { if (i.Meter.Scope == factory && i.Name == instrument) l.EnableMeasurementEvents(i); },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref total, value));
        listener.Start();
        return () => Interlocked.Read(ref total);
    }
}
