;; One failing command: the runner must name its line (tests/text/run_tests.sh).
(module (func (export "one") (result i32) (i32.const 1)))
(assert_return (invoke "one") (i32.const 1))
(assert_return (invoke "one") (i32.const 2))
