from untilgreen.cli import main

raise SystemExit(main())
