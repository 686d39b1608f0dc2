import DigestCommands

DigestTool.main()
