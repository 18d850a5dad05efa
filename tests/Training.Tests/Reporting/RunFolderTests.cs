using Training.Config;
using Training.Reporting;

namespace Training.Tests.Reporting;

public class RunFolderTests
{
    [Test]
    public void WritesTheFourFilesAndNothingElse()
    {
        string folder = Path.Combine(Path.GetTempPath(), "dqn-run-" + Guid.NewGuid().ToString("N"), "run-1");
        try
        {
            var log = ReportTests.SyntheticRun(out var summary);
            var config = Presets.Zoo with { Seed = 9 };
            var report = new RunReport { Title = "zoo seed 9", Config = config, Metrics = log, Summary = summary };
            RunFolder.Write(folder, report);
            RunFolder.Write(folder, report); // a second checkpoint replaces the files
            Assert.That(Directory.GetFiles(folder).Select(Path.GetFileName),
                Is.EquivalentTo(new[] { "config.json", "metrics.csv", "curve.svg", "report.html" }));
            var back = TrainConfigJson.Load(Path.Combine(folder, RunFolder.ConfigFile));
            Assert.That(TrainConfigJson.Serialize(back), Is.EqualTo(TrainConfigJson.Serialize(config)));
            Assert.That(MetricsLog.ReadCsv(Path.Combine(folder, RunFolder.MetricsFile)).Episodes, Is.EqualTo(log.Episodes));
            Assert.That(File.ReadAllText(Path.Combine(folder, RunFolder.CurveFile)), Does.StartWith("<svg").And.Contain("zoo seed 9"));
            Assert.That(File.ReadAllText(Path.Combine(folder, RunFolder.ReportFile)), Does.Contain("<h1>zoo seed 9</h1>"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(folder)!, recursive: true);
        }
    }
}
