// A Freshet job run by the .NET generic host: the average temperature of each sensor per second of event time.
// appsettings.json (section Freshet:Jobs:sensor-averages) sets its parallelism and checkpoints; Ctrl+C stops it with a
// savepoint, and the next run continues from it. `--HostedJob:Readings N` makes the input bounded (N readings), and
// `--Freshet:Jobs:sensor-averages:StopHostWhenFinished true` ends the program when they are processed.
using Freshet.Hosting;
using Freshet.Streaming.Time;
using Freshet.Streaming.Windows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

// appsettings.json is read from the program's folder, wherever it is started from; the checkpoint directory it names
// is relative to the working directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
long? readings = builder.Configuration.GetValue<long?>("HostedJob:Readings");
builder.Services.AddFreshetJob("sensor-averages", (env, _) =>
    env.FromGenerator(
            i => new Reading($"sensor-{i % 4}", TimeMs: i * 10, Celsius: 18 + (int)(i % 9)),
            count: readings,
            watermarkStrategy: WatermarkStrategy.ForMonotonousTimestamps<Reading>().WithTimestampAssigner((r, _) => r.TimeMs),
            recordsPerSecond: readings is null ? 200 : null)
        .Map(r => (r.Sensor, Sum: r.Celsius, Count: 1))
        .KeyBy(r => r.Sensor)
        .Window(TumblingEventTimeWindows.Of(TimeSpan.FromSeconds(1)))
        .Reduce((a, b) => (a.Sensor, a.Sum + b.Sum, a.Count + b.Count))
        .Map(r => $"{r.Sensor}: {(double)r.Sum / r.Count:F2} °C over {r.Count} readings")
        .Print("average"));

await builder.Build().RunAsync();

/// <summary>One temperature reading: its sensor, its event time (ms) and its value.</summary>
internal sealed record Reading(string Sensor, long TimeMs, int Celsius);
