using Training.Reporting;

namespace Training.Tests.Reporting;

public class MetricsLogTests
{
    private static MetricsLog Sample()
    {
        var log = new MetricsLog();
        log.AddEpisode(new EpisodeRecord(Step: 12, Episode: 1, Return: 12, Length: 12, Epsilon: 0.99, Loss: double.NaN, TimeSeconds: 0.5));
        log.AddEpisode(new EpisodeRecord(30, 2, 18, 18, 0.975, 0.125, 1.25));
        log.AddEvaluation(new EvaluationRecord(Step: 40, Episode: 2, Mean: 9.5, Std: 0.5, Min: 9, Max: 10, Episodes: 20, Final: false, TimeSeconds: 2));
        log.AddEpisode(new EpisodeRecord(52, 3, 22, 22, 0.95, 0.0625, 3));
        log.AddEvaluation(new EvaluationRecord(52, 3, 500, 0, 500, 500, 100, true, 4.5));
        return log;
    }

    [Test]
    public void CsvHasOneRowPerEventInOrder()
    {
        const string expected = """
            kind,step,episode,return,length,epsilon,loss,mean,std,min,max,episodes,time_s
            episode,12,1,12,12,0.99,,,,,,,0.5
            episode,30,2,18,18,0.975,0.125,,,,,,1.25
            eval,40,2,,,,,9.5,0.5,9,10,20,2
            episode,52,3,22,22,0.95,0.0625,,,,,,3
            final_eval,52,3,,,,,500,0,500,500,100,4.5

            """;
        Assert.That(Sample().ToCsv(), Is.EqualTo(expected.ReplaceLineEndings("\n")));
    }

    [Test]
    public void CsvRoundTripsExactly()
    {
        var log = Sample();
        log.AddEpisode(new EpisodeRecord(60, 4, 1.0 / 3, 8, 0.1 + 0.2, Math.PI, 1e-7));
        var back = MetricsLog.ParseCsv(log.ToCsv());
        Assert.That(back.Episodes, Is.EqualTo(log.Episodes));
        Assert.That(back.Evaluations, Is.EqualTo(log.Evaluations));
        Assert.That(back.ToCsv(), Is.EqualTo(log.ToCsv()));
    }

    [Test]
    public void WriteCsvReplacesTheFileAtomically()
    {
        string folder = Path.Combine(Path.GetTempPath(), "dqn-metrics-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(folder);
            string path = Path.Combine(folder, "metrics.csv");
            var log = new MetricsLog();
            log.WriteCsv(path);
            Assert.That(File.ReadAllText(path), Is.EqualTo(MetricsLog.Header + "\n"));
            Sample().WriteCsv(path);
            Assert.That(MetricsLog.ReadCsv(path).Episodes, Has.Count.EqualTo(3));
            Assert.That(Directory.GetFiles(folder), Is.EqualTo(new[] { path }));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void BadCsvNamesTheLineAndColumn()
    {
        Assert.That(() => MetricsLog.ParseCsv("step,return\n"), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("header"));
        string badNumber = MetricsLog.Header + "\nepisode,12,1,twelve,12,0.99,,,,,,,0.5\n";
        Assert.That(() => MetricsLog.ParseCsv(badNumber, "run/metrics.csv"),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("run/metrics.csv: line 2, column return: 'twelve' is not a number."));
        string badKind = MetricsLog.Header + "\nstep,1,1,1,1,1,,,,,,,1\n";
        Assert.That(() => MetricsLog.ParseCsv(badKind), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("kind 'step'"));
        string shortRow = MetricsLog.Header + "\nepisode,1,2\n";
        Assert.That(() => MetricsLog.ParseCsv(shortRow), Throws.InstanceOf<InvalidDataException>().With.Message.Contains("3 cells, expected 13"));
    }

    [Test]
    public void MovingAverageOverAWindow()
    {
        var average = new MovingAverage(3);
        Assert.That(average.Value, Is.NaN);
        double[] expected = [1, 1.5, 2, 3, 4, 5, 6];
        for (int i = 0; i < expected.Length; i++)
        {
            average.Add(i + 1);
            Assert.That(average.Value, Is.EqualTo(expected[i]).Within(1e-12));
        }
        Assert.That(average.Count, Is.EqualTo(3));
    }

    [Test]
    public void RateMeterMeasuresSinceTheLastReading()
    {
        var meter = new RateMeter();
        Assert.That(meter.Rate(100, 2), Is.EqualTo(50));
        Assert.That(meter.Rate(400, 3), Is.EqualTo(300));
        Assert.That(meter.Rate(400, 3), Is.Zero);
    }
}
