using System.CommandLine;

var root = new RootCommand("recordkv: inspect and operate a RecordKv deployment.");
return root.Parse(args).Invoke();
