import type { ReactNode } from 'react';
import { Outlet } from 'react-router';
import { AppShell, Burger, Group, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { NavLinks } from './NavLinks';
import { RevokedBanner } from './RevokedBanner';
import { ServerClock } from './ServerClock';
import { UserMenu } from './UserMenu';

/** The signed-in frame: header, navigation, and the current page (or `children`). */
export function AppLayout({ children }: { children?: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header data-print="hide">
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Title order={3}>Vouch</Title>
          </Group>
          <Group gap="lg" wrap="nowrap">
            <ServerClock />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" data-print="hide">
        <NavLinks onNavigate={close} />
      </AppShell.Navbar>
      <AppShell.Main data-print="main">
        <div data-print="hide">
          <RevokedBanner />
        </div>
        {children ?? <Outlet />}
      </AppShell.Main>
    </AppShell>
  );
}
