package check

import "testing"

func TestRegistry(t *testing.T) {
	if err := Validate(); err != nil {
		t.Fatal(err)
	}
	if len(All()) == 0 {
		t.Fatal("no checks registered")
	}
	for i := 1; i < len(All()); i++ {
		if All()[i-1].ID >= All()[i].ID {
			t.Errorf("All() not sorted at %d", i)
		}
	}
}
