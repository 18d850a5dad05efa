namespace Training.Config;

public sealed partial record TrainConfig
{
    /// <summary>Cap on the product of tabular.bins, so a typo cannot allocate gigabytes.</summary>
    public const int MaxTabularStates = 10_000_000;

    /// <summary>Throws a <see cref="ConfigException"/> listing every problem of <see cref="Problems()"/>; returns this config when there is none.</summary>
    /// <exception cref="ConfigException">A field the run reads is out of its range or breaks a rule.</exception>
    public TrainConfig Validate()
    {
        var problems = Problems();
        if (problems.Count > 0)
            throw new ConfigException(problems);
        return this;
    }

    /// <summary>Each problem as "key must be …, got value." (empty when the config is valid).</summary>
    public IReadOnlyList<string> Problems() => Problems(ConfigNames.Keys).Select(p => p.Message).ToList();

    /// <summary>
    /// Every field's problems, in declaration order (<see cref="TrainConfigFields"/>), each naming the fields it
    /// involves with <paramref name="names"/>. Fields the run does not read (the network of a qtable run, the
    /// priority settings without prioritized replay) are not checked.
    /// </summary>
    public IReadOnlyList<ConfigProblem> Problems(ConfigNames names)
    {
        var problems = new List<ConfigProblem>();
        foreach (var field in TrainConfigFields.All)
            field.Check(this, names, problems);
        return problems;
    }
}
