using Training.Runs;
namespace Dqn.Training;

/// <summary>A model file that cannot be read or does not hold a network or Q-table; the message names the file and what is wrong.</summary>
public sealed class ModelFileException : Exception
{
    /// <summary>A model file error with <paramref name="message"/>, which names the file.</summary>
    public ModelFileException(string message)
        : base(message)
    {
    }

    /// <summary>A model file error with <paramref name="message"/>, caused by <paramref name="inner"/>.</summary>
    public ModelFileException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
