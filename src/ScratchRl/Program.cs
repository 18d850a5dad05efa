using ScratchRl.Cli;

return ScratchRlApp.Run(args);
